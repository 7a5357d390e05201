#!/usr/bin/env bash
# Install a Townhall node on a Debian 12 or Ubuntu 24.04 server, as root:
#
#   deploy/install.sh --domain talk.example.org --name "Example Charity" --handle example \
#       [--database sqlite|postgres] [--proxy nginx|caddy] [--email you@example.org]
#
# It installs the system packages, creates the `townhall` system user and its folders, installs
# Townhall from this checkout into /opt/townhall/.venv, writes /etc/townhall/townhall.env (and,
# for PostgreSQL, a database with its own password), runs `townhall init`, installs the hardened
# systemd units and the nginx or Caddy site (HTTPS: certbot for nginx, Caddy by itself), and
# starts the node. docs/deploy.md explains each step. Run it again and it changes nothing that
# is already there: an initialised node is left as it is.
#
# --root DIR writes every file under DIR instead of / and runs no system command (apt, adduser,
# systemctl, the database, pip), printing each instead: to see what it would do, and for tests.
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
die() { echo "install.sh: $*" >&2; exit 1; }

domain="" name="" handle="" database="sqlite" proxy="nginx" email="" root=""
source_dir="$(cd "$(dirname "$0")/.." && pwd)"
while [ $# -gt 0 ]; do
    case "$1" in
        --domain) domain="${2:-}"; shift 2 ;;
        --name) name="${2:-}"; shift 2 ;;
        --handle) handle="${2:-}"; shift 2 ;;
        --database) database="${2:-}"; shift 2 ;;
        --proxy) proxy="${2:-}"; shift 2 ;;
        --email) email="${2:-}"; shift 2 ;;
        --root) root="${2:-}"; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage 2 ;;
    esac
done

[ -n "$domain" ] || die "--domain is required (the name your DNS points at this server)"
[ -n "$name" ] || die "--name is required (the organisation's name)"
[ -n "$handle" ] || die "--handle is required (the organisation's handle, a-z 0-9 _)"
[[ "$domain" =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]] || die "--domain $domain is not a host name"
[[ "$handle" =~ ^[a-z0-9_]{1,30}$ ]] || die "--handle must be 1-30 of a-z, 0-9, _"
case "$database" in sqlite|postgres) ;; *) die "--database is sqlite or postgres" ;; esac
case "$proxy" in nginx|caddy) ;; *) die "--proxy is nginx or caddy" ;; esac
if [ -z "$root" ] && [ "$(id -u)" -ne 0 ]; then die "run it as root (or with --root DIR to try it)"; fi

venv=/opt/townhall/.venv
data_dir=/var/lib/townhall
env_file=/etc/townhall/townhall.env

# run a system command, or (with --root) print it
system() {
    if [ -n "$root" ]; then printf 'would run:'; printf ' %q' "$@"; printf '\n'; else "$@"; fi
}
# write stdin to a file under the root, owner-only unless a mode is given
put() {
    local path="$root$1" mode="${2:-0600}"
    mkdir -p "$(dirname "$path")"
    cat > "$path"
    chmod "$mode" "$path"
    echo "wrote $path"
}

echo "== packages"
packages=(python3-venv)
[ "$database" = postgres ] && packages+=(postgresql postgresql-client)
[ "$proxy" = nginx ] && packages+=(nginx certbot python3-certbot-nginx)
[ "$proxy" = caddy ] && packages+=(caddy)
system apt-get install -y "${packages[@]}"

echo "== user and folders"
if [ -n "$root" ] || ! id townhall >/dev/null 2>&1; then
    system adduser --system --group --home "$data_dir" townhall
fi
mkdir -p "$root$data_dir" "$root/etc/townhall" "$root/opt/townhall"
chmod 0700 "$root$data_dir"
system chown townhall:townhall "$data_dir"

echo "== Townhall into $venv"
system python3 -m venv "$venv"
system "$venv/bin/pip" install --quiet --upgrade pip
system "$venv/bin/pip" install --quiet "$source_dir"

echo "== settings"
if [ ! -e "$root$env_file" ]; then
    if [ "$database" = postgres ]; then
        password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
        system runuser -u postgres -- psql -qc "CREATE ROLE townhall LOGIN PASSWORD '$password'"
        system runuser -u postgres -- createdb -O townhall townhall
        echo "TOWNHALL_DATABASE_URL=postgres://townhall:$password@127.0.0.1:5432/townhall" | put "$env_file"
    else
        echo "# SQLite in $data_dir; set TOWNHALL_DATABASE_URL=postgres://… for PostgreSQL" | put "$env_file"
    fi
fi

echo "== the node"
if [ -e "$root$data_dir/townhall.toml" ]; then
    echo "$data_dir is initialised already: left as it is"
else
    system runuser -u townhall -- env $(grep -v '^#' "$root$env_file" || true) "$venv/bin/townhall" init \
        --data-dir "$data_dir" --url "https://$domain" --name "$name" --handle "$handle"
fi

echo "== systemd units"
for unit in townhall-web.service townhall-worker@.service; do
    put "/etc/systemd/system/$unit" 0644 < "$source_dir/deploy/$unit"
done
system systemctl daemon-reload
system systemctl enable --now townhall-web.service

echo "== $proxy"
if [ "$proxy" = nginx ]; then
    sed "s/talk\.example\.org/$domain/g" "$source_dir/deploy/nginx.conf" | put /etc/nginx/sites-available/townhall 0644
    mkdir -p "$root/etc/nginx/sites-enabled"
    ln -sfn /etc/nginx/sites-available/townhall "$root/etc/nginx/sites-enabled/townhall"
    certbot_email=(--register-unsafely-without-email)
    [ -n "$email" ] && certbot_email=(--email "$email")
    # nginx cannot load the site before its certificate exists: certbot answers the challenge on
    # port 80 itself, with nginx stopped for that moment (and again at each renewal)
    system certbot certonly --standalone --non-interactive --agree-tos "${certbot_email[@]}" \
        --pre-hook "systemctl stop nginx" --post-hook "systemctl start nginx" -d "$domain"
    system systemctl reload nginx
else
    sed -e "s/{\$TOWNHALL_DOMAIN}/$domain/" -e "s/townhall:8000/127.0.0.1:8000/" \
        "$source_dir/deploy/Caddyfile" | put /etc/caddy/Caddyfile 0644
    system systemctl reload caddy
fi

cat <<EOF

Done. Next, as root:
  runuser -u townhall -- env \$(grep -v '^#' $env_file) $venv/bin/townhall user add --data-dir $data_dir --role admin YOURNAME
  runuser -u townhall -- env \$(grep -v '^#' $env_file) $venv/bin/townhall check --data-dir $data_dir
then sign in at https://$domain/sign-in. Busy node on PostgreSQL? systemctl enable --now townhall-worker@1
EOF
