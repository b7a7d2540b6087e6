"""Finding the Java tools that the local broker and database run on."""

import re
import shutil
import subprocess

MIN_JAVA = 17
INSTALL_JAVA = "a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless)"
INSTALL_JDK = "a Java 17+ JDK (Debian: apt-get install openjdk-17-jdk-headless)"
INSTALL_MAVEN = "Apache Maven 3.8+ (Debian: apt-get install maven)"


def require_tool(name: str, what_to_install: str) -> str:
    """Locate an executable on PATH, or fail saying what to install."""
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"`{name}` was not found on PATH: install {what_to_install}")
    return path


def require_java(needed_by: str) -> str:
    """Find java and check its version: Kafka 4 and mongo-java-server need Java 17 or later."""
    java = require_tool("java", INSTALL_JAVA)
    result = subprocess.run(
        [java, "-version"], capture_output=True, text=True, timeout=60, check=False
    )
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    major = java_major(match.group(1), match.group(2)) if match else 0
    if major < MIN_JAVA:
        raise RuntimeError(
            f"{needed_by} needs Java {MIN_JAVA}+, but {java} is Java {major or '?'}: "
            f"install {INSTALL_JAVA}"
        )
    return java


def java_major(first: str, second: str | None) -> int:
    """Read the major version from both the old "1.8.0" and the modern "17.0.15" schemes."""
    if first == "1" and second is not None:
        return int(second)
    return int(first)
