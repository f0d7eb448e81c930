# Stand-in for maven:3.9-eclipse-temurin-17: Debian's OpenJDK 17 JDK and Maven (3.8).
FROM eclipse-temurin:17-jre
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jdk-headless maven \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY cacerts /etc/ssl/certs/java/cacerts
ENV MAVEN_HOME=/usr/share/maven
CMD ["mvn"]
