// Corpora: tokenizers, readers of Debian text packages, synthetic generators, packing.
//
// Layout of this module:
//   Readers/     gzip (zlib), dictd index + dictionary, fortune files, WordNet data files
//   Text/        byte-level text helpers, GCIDE / FOLDOC / Jargon rules, definition questions, splits
//   Store/       named corpora (recipes), the prepared-cache format, manifests, checksums
//   Generators/  REGBENCH automata, entity corpus EC / EC-dup, Markov mixture MSM
//   Tokenizers/  byte tokenizer
//   Packing/     byte streams and validation windows, token packing with document boundaries
//
// Every random choice draws from LMCore's `RandomStream` with a named stream, so every corpus and
// generator output is a pure function of its parameters and seed.
import LMCore
import Foundation
