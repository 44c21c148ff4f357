"""The Linux side of make compare-linux, built from Debian's registry only.

A private apt configuration under build/linux/apt/ (its own sources list,
package lists and cache; the host's apt state is never read or changed)
finds the newest `linux-image-VERSION-amd64-unsigned` of the series asked
for (6.12 by default: bookworm-backports or trixie; 6.1 from bookworm) and
`busybox-static`; `apt-get download` fetches them and `dpkg-deb` unpacks
the kernel's /boot and busybox into build/linux/ (what `dpkg -x` would do,
without the 100 MB of modules: the initramfs needs none). Nothing is
installed on the host.
"""
import functools
import glob
import os
import re
import subprocess
import time

SUITES = ("bookworm", "bookworm-backports", "trixie")
MIRROR = "http://deb.debian.org/debian"


class RegistryUnreachable(Exception):
    """Debian's registry cannot be reached and nothing usable is cached."""


class Debian:
    def __init__(self, root):
        self.dir = os.path.join(root, "build", "linux")
        self.apt_dir = os.path.join(self.dir, "apt")
        self.debs = os.path.join(self.dir, "debs")

    def apt_opts(self):
        a = self.apt_dir
        return ["-o", f"Dir::Etc::SourceList={a}/etc/sources.list",
                "-o", "Dir::Etc::SourceParts=/nonexistent",
                "-o", f"Dir::State::Lists={a}/lists", "-o", f"Dir::Cache={a}/cache",
                "-o", "APT::Sandbox::User=root", "-o", "Debug::NoLocking=1",
                "-o", "Acquire::Retries=1", "-o", "Acquire::http::Timeout=20"]

    def update(self, max_age=24 * 3600):
        """apt-get update into the private lists (unless they are younger than
        max_age seconds); True if the lists are usable."""
        stamp = os.path.join(self.apt_dir, "lists", "updated")
        if os.path.exists(stamp) and time.time() - os.path.getmtime(stamp) < max_age:
            return True
        for d in ("etc", "lists/partial", "cache/archives/partial"):
            os.makedirs(os.path.join(self.apt_dir, d), exist_ok=True)
        with open(os.path.join(self.apt_dir, "etc", "sources.list"), "w") as f:
            f.writelines(f"deb {MIRROR} {s} main\n" for s in SUITES)
        r = subprocess.run(["apt-get", *self.apt_opts(), "update"], capture_output=True,
                           text=True)
        ok = r.returncode == 0 and "Err:" not in r.stdout
        if ok:
            open(stamp, "w").close()
        return ok

    def _apt(self, *args):
        r = subprocess.run(["apt-cache", *self.apt_opts(), *args], capture_output=True,
                           text=True)
        return r.stdout

    def kernel_package(self, series):
        """The newest linux-image-SERIES...-amd64-unsigned the lists know, or None."""
        # The generic amd64 flavour only (not -cloud-, not -rt-): an ABI is
        # 6.1.0-50, 6.12.95+deb12 or 6.12.117+deb13.
        pat = re.compile(r"^linux-image-(" + re.escape(series) +
                         r"(?:[.-][\d.]+)*(?:-\d+)?(?:\+deb\d+)?)-amd64-unsigned$")
        names = [n for n in self._apt("pkgnames", "linux-image-").split()
                 if pat.match(n) or n == f"linux-image-{series}-amd64-unsigned"]
        if not names:
            return None

        def ver(name):
            m = re.search(r"^Version: (\S+)", self._apt("show", name), re.M)
            return m.group(1) if m else "0"

        def cmp(a, b):
            if subprocess.run(["dpkg", "--compare-versions", a[1], "gt", b[1]]).returncode == 0:
                return 1
            return -1 if a[1] != b[1] else 0
        return max(((n, ver(n)) for n in names), key=functools.cmp_to_key(cmp))[0]

    def download(self, pkg):
        """The .deb of pkg in build/linux/debs/ (apt-get download), or None."""
        os.makedirs(self.debs, exist_ok=True)
        base = pkg.replace("+", "%2b")
        r = subprocess.run(["apt-get", *self.apt_opts(), "download", pkg], cwd=self.debs,
                           capture_output=True, text=True)
        found = [p for p in glob.glob(os.path.join(self.debs, "*.deb"))
                 if os.path.basename(p).split("_")[0] in (pkg, base)]
        if r.returncode != 0 or not found:
            return None
        return max(found, key=os.path.getmtime)

    def unpack(self, deb, dest, members):
        os.makedirs(dest, exist_ok=True)
        tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb], stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", dest, "--wildcards", *members], stdin=tar.stdout,
                       check=True)
        tar.wait()

    def cached_kernel(self, series):
        """(vmlinuz, config) of an unpacked kernel of series, newest first, or None."""
        found = sorted(glob.glob(os.path.join(self.dir, f"k-{series}*", "boot", "vmlinuz-*")))
        if not found:
            return None
        vmlinuz = found[-1]
        return vmlinuz, vmlinuz.replace("vmlinuz-", "config-")

    def kernel(self, series):
        """(vmlinuz, config path, package name) for series ("6.12", "6.1", or a full ABI)."""
        reached = self.update()
        pkg = self.kernel_package(series) if reached else None
        if pkg is None:
            cached = self.cached_kernel(series)
            if cached:
                return (*cached, os.path.basename(os.path.dirname(os.path.dirname(cached[0]))))
            if not reached:
                raise RegistryUnreachable(f"apt-get update of {MIRROR} ({', '.join(SUITES)}) "
                                          "failed and no kernel is cached in build/linux/")
            raise ValueError(f"KERNEL={series}: no linux-image-{series}*-amd64-unsigned in "
                             f"Debian {', '.join(SUITES)}")
        abi = pkg[len("linux-image-"):-len("-amd64-unsigned")]
        dest = os.path.join(self.dir, f"k-{abi}")
        vmlinuz = os.path.join(dest, "boot", f"vmlinuz-{abi}-amd64")
        if not os.path.exists(vmlinuz):
            deb = self.download(pkg)
            if deb is None:
                raise RegistryUnreachable(f"apt-get download {pkg} failed")
            self.unpack(deb, dest, ["./boot/*"])
        return vmlinuz, os.path.join(dest, "boot", f"config-{abi}-amd64"), pkg

    def busybox(self):
        """build/linux/busybox/[usr/]bin/busybox from Debian's busybox-static."""
        dest = os.path.join(self.dir, "busybox")
        found = [p for p in (f"{dest}/bin/busybox", f"{dest}/usr/bin/busybox") if os.path.exists(p)]
        if not found:
            deb = self.download("busybox-static")
            if deb is None:
                raise RegistryUnreachable("apt-get download busybox-static failed")
            self.unpack(deb, dest, ["*bin/busybox"])  # /bin or, since trixie, /usr/bin
            found = [p for p in (f"{dest}/bin/busybox", f"{dest}/usr/bin/busybox") if os.path.exists(p)]
        return found[0]
