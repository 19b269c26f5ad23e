#!/usr/bin/env bash
# Playwright drives Debian's Chromium (browser downloads are impossible here).
# Install it, with the CJK fonts Chinese pages need, when it is missing.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
if ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then need+=(fonts-noto-cjk); fi
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "端到端测试需要 Debian 的 ${need[*]}，但当前用户不是 root，无法自动安装。" >&2
  echo "End-to-end tests need Debian's ${need[*]}: run 'sudo apt-get install ${need[*]}' and retry." >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "Installed ${need[*]}."
