"""Normalise and tokenise Chinese vacancy and résumé text: the one place that imports jieba.

:class:`DomainTokenizer` wraps a private ``jieba.Tokenizer`` instance (never jieba's global
one) loaded with a domain dictionary — occupation names, job titles, certificates, skills, place
names, welfare and priority-group terms — and applies stop words and a synonym map
(司机 → 驾驶员, 普工 → 操作工 …). The word lists come from the caller (``matcher.intake.lexicon``
builds them from the shipped reference tables), so this module stays free of business data.

The tokenizer is configuration only when pickled; the jieba object is built on first use in each
process (about 1 s for jieba's own dictionary, plus the domain words) under a lock, after which
tokenising is read-only and safe from several threads.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

_WHITESPACE = re.compile(r"\s+")
DEFAULT_STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 和 与 及 或 等 是 在 有 为 对 将 把 被 从 以 于 并 也 而 且 就 都 又 这 那 其 之
    所 着 过 我 你 他 她 它 我们 你们 他们 公司 本公司 我司 一 个 名 人 能 可 会 要 需
    需要 具有 具备 相关 以上 以下 左右 优先 负责 进行 工作 岗位 职位 要求 任职 资格 职责
    岗位职责 任职要求 能力 良好 一定 较强 熟悉 熟练 掌握 了解 完成 做好 按照 根据 保证
    确保 相应 各项 各类 日常 其他 其它 及时 认真 积极 主动 上级 领导 安排 交办 事项 如
    如下 包括 例如 通过 提供 欢迎 加入 我们 联系 电话 地址 简历 招 持 持有 需持 有意者
    若干 若干名 a an the and or of to in for with on at by is are be as
    """.split()  # noqa: SIM905 - a word list reads better as text
)
"""Function words and posting boilerplate that say nothing about the match."""

SPOKEN_STOPWORDS: frozenset[str] = frozenset(
    """
    想 想找 想回 找 找个 找点 做 做点 搞 干 当 去 来 回来 退下来 下来 可以 也可以 都可以 都行
    也行 行 或者 还是 这边 那边 这些 那些 这里 那里 屋头 里头 外头 城里 附近 不远 现在 今年
    以前 原来 之前 后来 最好 啥子 啥 什么 没得 没 没有 点 一点 有点 一些 些 住 活 活路 晓得
    知道 觉得 比较 一直 已经 然后 因为 所以 但是 就是 吧 呢 啊 嘛 哦 嗯 我学 我是 我在
    """.split()  # noqa: SIM905 - a word list reads better as text
)
"""How a walk-in talks around what they say (想找个…的活, 屋头, 啥子, 这边): words a written
résumé or a posting hardly has, so between a walk-in and a posting they only add noise (they
held 7 of the 11 words of one walk-in that the demo model's BM25 knew)."""


_WIDTH_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


_CLAUSE_BREAKS = re.compile(r"[,;!?:\n。、；！？：，]+")
"""Characters jieba never joins to a word (none is in its Han-block pattern): cutting clause by
clause gives exactly the tokens of cutting the whole text."""


def fold_width(text: str) -> str:
    """Full-width ASCII and the ideographic space → their ASCII forms, one character for one,
    so offsets into the result are offsets into ``text`` (NFKC can change lengths)."""
    return text.translate(_WIDTH_FOLD)


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), Latin case folding and single spaces.

    >>> normalize("ＣＮＣ操作工　月薪５０００")
    'cnc操作工 月薪5000'
    """
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


class DomainTokenizer:
    """jieba with a domain dictionary, stop words and synonyms; picklable and thread-safe.

    Parameters
    ----------
    words : iterable of str or (word, frequency) pairs
        Domain words jieba must keep whole. Each gets the larger of the frequency given and the
        one jieba suggests to cut it out whole (``suggest_freq``); a higher frequency makes the
        word win over overlapping ones (a job title over a skill phrase).
    synonyms : mapping of str to str
        Token → canonical token, applied after cutting (e.g. ``{"司机": "驾驶员"}``). Keys are
        also added as domain words so that they are cut whole.
    stopwords : iterable of str, default DEFAULT_STOPWORDS | SPOKEN_STOPWORDS
        Tokens dropped from the output (after normalisation, before synonyms).
    hmm : bool, default True
        Let jieba's HMM join unknown words (names of companies, new titles).
    keep_numbers : bool, default False
        Keep tokens that are only digits (``3``, ``5000``); mixed ones (``c1``, ``b2``) always stay.
    cache_size : int, default 65536
        Clauses remembered with their tokens (0: none). Postings repeat much boilerplate
        (岗位职责, 五险一金, 有责任心 …): a third of the characters of the real listings are in
        repeated clauses. The cache is per process and never pickled.
    """

    def __init__(
        self,
        words: Iterable[str | tuple[str, int]] = (),
        synonyms: Mapping[str, str] | None = None,
        stopwords: Iterable[str] | None = None,
        *,
        hmm: bool = True,
        keep_numbers: bool = False,
        cache_size: int = 65_536,
    ) -> None:
        self.words = tuple(words)
        self.synonyms = dict(synonyms or {})
        self.stopwords = frozenset(
            DEFAULT_STOPWORDS | SPOKEN_STOPWORDS if stopwords is None else stopwords
        )
        self.hmm = hmm
        self.keep_numbers = keep_numbers
        self.cache_size = cache_size
        self._cut_clause: Callable[[str], tuple[str, ...]] | None = None
        self._engine: Any = None
        self._lock = threading.Lock()

    # --- pickling: configuration only ---------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {
            "words": self.words,
            "synonyms": self.synonyms,
            "stopwords": self.stopwords,
            "hmm": self.hmm,
            "keep_numbers": self.keep_numbers,
            "cache_size": self.cache_size,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(  # type: ignore[misc]
            state["words"],
            state["synonyms"],
            state["stopwords"],
            hmm=state["hmm"],
            keep_numbers=state["keep_numbers"],
            cache_size=state["cache_size"],
        )

    def __repr__(self) -> str:
        return (
            f"DomainTokenizer(words={len(self.words)}, synonyms={len(self.synonyms)}, "
            f"stopwords={len(self.stopwords)}, hmm={self.hmm})"
        )

    # --- the jieba engine, built once per process ---------------------------------------

    def _jieba(self) -> Any:
        engine = self._engine
        if engine is not None:
            return engine
        with self._lock:
            if self._engine is None:
                built = self._build()
                cut = self._cutter(built)
                self._cut_clause = lru_cache(self.cache_size)(cut) if self.cache_size else cut
                self._engine = built
            return self._engine

    def _cutter(self, engine: Any) -> Callable[[str], tuple[str, ...]]:
        synonyms, stopwords, hmm = self.synonyms, self.stopwords, self.hmm
        drop_numbers = not self.keep_numbers

        def cut(clause: str) -> tuple[str, ...]:
            kept: list[str] = []
            for token in engine.cut(clause, HMM=hmm):
                # punctuation and spaces come out one character at a time; CJK is alphanumeric
                if (len(token) == 1 and not token.isalnum()) or token in stopwords:
                    continue
                if drop_numbers and token.replace(".", "", 1).isdigit():
                    continue
                kept.append(synonyms.get(token, token))
            return tuple(kept)

        return cut

    def _build(self) -> Any:
        import jieba  # imported on first use: importing jieba costs time and logs

        jieba.setLogLevel(logging.WARNING)
        engine = jieba.Tokenizer()
        engine.initialize()
        seen: set[str] = set()
        entries: list[tuple[str, int | None]] = []
        for entry in (*self.words, *self.synonyms, *self.synonyms.values()):
            word, frequency = (entry, None) if isinstance(entry, str) else entry
            word = normalize(word)
            if word and word not in seen and " " not in word:
                seen.add(word)
                entries.append((word, frequency))
        for word, frequency in entries:
            suggested = int(engine.suggest_freq(word, False))
            engine.add_word(word, max(suggested, frequency or 0))
        return engine

    def warm_up(self) -> DomainTokenizer:
        """Build the jieba engine now (else on the first call); returns self."""
        self._jieba()
        return self

    # --- tokenising ----------------------------------------------------------------------

    def tokens(self, text: str) -> list[str]:
        """Normalised, cut, stop words dropped, synonyms mapped; punctuation and spaces dropped."""
        self._jieba()
        cut_clause = self._cut_clause
        assert cut_clause is not None
        result: list[str] = []
        for clause in _CLAUSE_BREAKS.split(normalize(text)):
            if clause:
                result.extend(cut_clause(clause))
        return result

    def clear_cache(self) -> None:
        """Forget the cached clauses (benchmarks measure a cold cache this way)."""
        clear = getattr(self._cut_clause, "cache_clear", None)
        if clear is not None:
            clear()

    __call__ = tokens
