# Stand-in for eclipse-temurin:17-jre: Debian's OpenJDK 17 JRE on the debootstrapped base.
FROM jamwatch-local/debian:bookworm
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
# The machine's CA bundle and Java trust store (installing ca-certificates rewrote the bundle).
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY cacerts /etc/ssl/certs/java/cacerts
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 LANG=C.UTF-8
CMD ["jshell"]
