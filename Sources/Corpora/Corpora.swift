// Corpora: tokenizers, readers of Debian text packages, synthetic generators, packing.
import LMCore
