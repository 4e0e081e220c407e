"""Text → tokens → vectors; column arrays → pair-feature matrix. Pure, vectorised, no I/O."""

from features.similarity import char_ngram_topk

__all__ = ["char_ngram_topk"]
