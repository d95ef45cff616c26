"""The load balancer's configuration (nginx), one template for `make run-cluster` and
docker-compose (docker/nginx.conf is this template rendered by `python -m launcher nginx-config`).

Three listeners, each in front of one kind of service:
  bridge   -> the avatar bridges    round robin; a WebSocket stays on the instance it opened on
  rasa     -> the Rasa servers      consistent hash on the conversation id (header
                                    X-Conversation-Id, else the id in /conversations/<id>/...),
                                    because Rasa's Redis lock store is not safe across servers
  actions  -> the action servers    round robin (stateless)
A request that could not be sent (instance down) goes to the next instance; one that was sent is
not repeated (a turn must not run twice).

Client addresses: the instances limit requests per client address, and believe X-Forwarded-For
only from the balancer's own address (AVATAR_BRIDGE_TRUSTED_PROXIES). So nginx connects to them
from an address no ordinary client has (`proxy_bind`: 127.0.0.2 in the local cluster, its fixed
address on the internal network in docker-compose) and sends the address it saw itself
(`$remote_addr`), not a client's X-Forwarded-For with it appended.
"""

from __future__ import annotations

from dataclasses import dataclass


# The load balancer's fixed address on docker-compose's internal network (docker-compose.yml):
# the one address the bridge replicas trust for X-Forwarded-For.
COMPOSE_BALANCER_ADDRESS = "172.28.5.10"
# The local cluster's: nginx connects from this loopback address, every other local client from
# 127.0.0.1 (Linux routes all of 127.0.0.0/8 to loopback).
LOCAL_BALANCER_ADDRESS = "127.0.0.2"


@dataclass(frozen=True)
class BalancerConfig:
    listen_host: str
    bridge_port: int
    rasa_port: int
    action_port: int
    bridges: tuple[str, ...]  # "host:port" of each instance (a DNS name may stand for several)
    rasa_servers: tuple[str, ...]
    action_servers: tuple[str, ...]
    # Where the pid file and nginx's temporary files go (nginx creates the temp directories).
    work_dir: str
    error_log: str
    access_log: str
    # The address nginx connects to the instances from, the one they trust for X-Forwarded-For.
    upstream_source: str

    @classmethod
    def for_compose(cls) -> BalancerConfig:
        """docker-compose: service names, which Docker's DNS resolves to every scaled replica."""
        return cls(
            listen_host="0.0.0.0",
            bridge_port=8765,
            rasa_port=5005,
            action_port=5055,
            bridges=("avatar-bridge:8765",),
            rasa_servers=("rasa:5005",),
            action_servers=("action-server:5055",),
            work_dir="/tmp",
            error_log="/dev/stderr",
            access_log="/dev/stdout",
            upstream_source=COMPOSE_BALANCER_ADDRESS,
        )

    def render(self) -> str:
        return f"""# The load balancer of the multi-instance mode; rendered by launcher/balancer.py, do not edit.
daemon off;
worker_processes 1;
pid {self.work_dir}/nginx.pid;
error_log {self.error_log} warn;

events {{
    worker_connections 4096;
}}

http {{
    # Which instance served what: port, conversation, instance(s) tried, status.
    log_format cluster '$server_port conversation=$conversation upstream=$upstream_addr status=$status $request_method $uri';
    access_log {self.access_log} cluster;
    client_body_temp_path {self.work_dir}/nginx-body;
    proxy_temp_path {self.work_dir}/nginx-proxy;
    fastcgi_temp_path {self.work_dir}/nginx-fastcgi;
    uwsgi_temp_path {self.work_dir}/nginx-uwsgi;
    scgi_temp_path {self.work_dir}/nginx-scgi;
    client_max_body_size 1m;
    # No temporary files: a worker that dropped root privileges (nginx started as root runs its
    # workers as `nobody`) cannot write under a private var dir, and every POST body over the
    # default 8k buffer (Rasa's NLG and action calls carry the whole tracker) failed with 500.
    client_body_buffer_size 1m;
    proxy_max_temp_file_size 0;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      '';
    }}
    # The conversation a Rasa request belongs to: the bridge's header, else the tracker URL's id.
    map $uri $conversation_in_uri {{
        ~^/conversations/(?<cid>[^/]+)/ $cid;
        default "";
    }}
    map $http_x_conversation_id $conversation {{
        ""      $conversation_in_uri;
        default $http_x_conversation_id;
    }}

    upstream rasa {{
        hash $conversation consistent;
{_servers(self.rasa_servers)}
    }}
    upstream action_servers {{
{_servers(self.action_servers)}
    }}
    upstream bridges {{
{_servers(self.bridges)}
    }}

    proxy_http_version 1.1;
    # From the one source address the instances believe X-Forwarded-For from. The headers are
    # set in each location: a location with proxy_set_header of its own inherits none from here.
    proxy_bind {self.upstream_source};
    proxy_connect_timeout 2s;
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 3;

    server {{
        listen {self.listen_host}:{self.rasa_port};
        location / {{
            proxy_pass http://rasa;
{_FORWARDED}            proxy_set_header Connection "";
            proxy_read_timeout 60s;
        }}
    }}
    server {{
        listen {self.listen_host}:{self.action_port};
        location / {{
            proxy_pass http://action_servers;
{_FORWARDED}            proxy_set_header Connection "";
            proxy_read_timeout 60s;
        }}
    }}
    server {{
        listen {self.listen_host}:{self.bridge_port};
        location / {{
            proxy_pass http://bridges;
{_FORWARDED}            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
        }}
    }}
}}
"""


# The client's address as nginx saw it, replacing whatever X-Forwarded-For the client sent.
_FORWARDED = """\
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
"""


def _servers(addresses: tuple[str, ...]) -> str:
    # After a failure an instance is left out for 10 s; its requests go to the next one.
    return "\n".join(f"        server {address} max_fails=1 fail_timeout=10s;" for address in addresses)
