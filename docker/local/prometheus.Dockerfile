# Stand-in for prom/prometheus: Debian's prometheus package, laid out as the official image
# (ENTRYPOINT the binary, config /etc/prometheus/prometheus.yml, data under /prometheus, user nobody).
FROM jamwatch-local/debian:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb \
 && mkdir -p /prometheus && chown nobody:nogroup /prometheus \
 && rm -rf /var/lib/prometheus/metrics2 && ln -s /prometheus /var/lib/prometheus/metrics2
# (Debian's build defaults --storage.tsdb.path to /var/lib/prometheus/metrics2: the same /prometheus.)
USER nobody
WORKDIR /prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
