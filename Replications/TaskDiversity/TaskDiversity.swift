// Raventós et al. 2023 in miniature (see README.md).
import LMCore
import Harness
