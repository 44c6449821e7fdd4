#!/usr/bin/env bash
# Install a CPU-only PyTorch (plus numpy) into Benchmarks/.venv, for the reference
# fixture generator and the PyTorch half of the benchmark. Idempotent: does nothing
# if the venv already imports torch. Usage: Benchmarks/setup_torch.sh
# Override the pin with TORCH_SPEC (e.g. TORCH_SPEC=torch Benchmarks/setup_torch.sh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
py="$venv/bin/python"
spec="${TORCH_SPEC:-torch==2.13.0+cpu}"   # CPU-only wheel: avoids GBs of CUDA deps

if [ -x "$py" ] && "$py" -c 'import torch, numpy' >/dev/null 2>&1; then
  echo "torch $("$py" -c 'import torch; print(torch.__version__)') already in $venv"
  exit 0
fi
[ -x "$py" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
if ! "$venv/bin/pip" install -q "$spec" numpy; then
  echo "warning: could not install $spec; falling back to plain torch" >&2
  "$venv/bin/pip" install -q torch numpy
fi
echo "installed torch $("$py" -c 'import torch; print(torch.__version__)') in $venv"
