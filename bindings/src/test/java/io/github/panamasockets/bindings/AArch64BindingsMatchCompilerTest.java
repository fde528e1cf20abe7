package io.github.panamasockets.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * BindingsMatchCompilerTest for linux-aarch64, on this machine: the aarch64 check program is built
 * with the cross compiler and run under qemu-user against the aarch64 C library; then every item it
 * confirmed is held against the committed aarch64 Java bindings, compiled here into a directory of
 * their own and loaded (in a child JVM) in place of this platform's classes of the same names.
 * What this cannot show: the aarch64 bindings calling into an aarch64 kernel from an aarch64 JVM.
 */
class AArch64BindingsMatchCompilerTest {

    @Test
    void everyAArch64ItemMatchesTheCrossCompilerAndTheAArch64JavaBindings(@TempDir Path tmp) throws Exception {
        String missing = CrossTarget.missing();
        assumeTrue(missing == null, missing);
        Path root = ProjectFiles.root();
        Path module = root.resolve(CrossTarget.MODULE);

        Path exe = tmp.resolve("check_bindings");
        var build = ProjectFiles.run(root, List.of(CrossTarget.CC, "-Wall", "-Werror", "-I", "native",
                "-o", exe.toString(), module.resolve("src/test/c/check_bindings.c").toString()));
        assertEquals(0, build.status(), build.output());
        var file = ProjectFiles.run(root, List.of("readelf", "-h", exe.toString()));
        assertTrue(file.output().contains("AArch64"), "not an aarch64 program: " + file.output());
        var run = ProjectFiles.run(root, CrossTarget.run(exe.toString()));
        assertEquals(0, run.status(), run.output());
        Path confirmed = tmp.resolve("confirmed.txt");
        Files.writeString(confirmed, run.output());

        Path classes = compiledAArch64Classes(tmp);
        var check = ProjectFiles.run(root, List.of(ProjectFiles.java(), "--enable-native-access=ALL-UNNAMED",
                "-Dpanamasockets.platform=" + CrossTarget.PLATFORM,
                // the C types its fields are declared with are read from that platform's sources
                "-Dpsock.bindings.src=" + root.resolve("bindings/platforms/" + CrossTarget.PLATFORM + "/src/main/java"),
                "-cp", classes + File.pathSeparator + JavaSources.testClassPathWithoutMainClasses(),
                OtherPlatformCheck.class.getName(), confirmed.toString()));
        List<String> lines = List.of(check.output().strip().split("\n"));
        assertEquals("platform " + CrossTarget.PLATFORM, lines.getFirst(), check.output());
        List<String> bad = new ArrayList<>(lines.subList(1, lines.size() - 1));
        assertEquals(List.of(), bad);
        assertEquals(0, check.status(), check.output());
        int checked = Integer.parseInt(lines.getLast().replace("checked ", ""));
        assertTrue(checked > 1500, "only " + checked + " items checked");
        // It was aarch64's C that confirmed them: its epoll_event is not packed (16 bytes, not x86_64's 12).
        assertTrue(run.output().contains("ok size epoll_event 16\n"), run.output());
    }

    /** The committed aarch64 classes, compiled here (no cross compiler needed), refuse to load on this JVM's platform. */
    @Test
    void theAArch64BindingsRefuseThisPlatformSayingHowToGenerateHere(@TempDir Path tmp) throws Exception {
        boolean generatedHere = false;
        for (var f : sockets_h.class.getFields()) generatedHere |= f.getName().equals("PLATFORM");
        assumeTrue(generatedHere, "the bindings in the tree were written by jextract, which names no platform");
        String here = (String) sockets_h.class.getField("PLATFORM").get(null);   // the guard let this JVM load it: its platform
        assumeTrue(!here.equals(CrossTarget.PLATFORM), "this JVM runs on linux-aarch64, where these bindings are the ones that load");
        Path classes = compiledAArch64Classes(tmp);
        var r = ProjectFiles.run(ProjectFiles.root(), List.of(ProjectFiles.java(), "--enable-native-access=ALL-UNNAMED",
                "-cp", classes + File.pathSeparator + JavaSources.testClassPathWithoutMainClasses(), PlatformGuardTest.class.getName()));
        assertEquals(3, r.status(), r.output());
        assertEquals("Panama Sockets bindings were generated for linux-aarch64 (linux-aarch64, glibc 2.36) but this JVM runs on "
                + here + "; regenerate them there with: ./psock generate", r.output().strip().replaceFirst("glibc [0-9.]+", "glibc 2.36"));
    }

    private static Path compiledAArch64Classes(Path tmp) throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        Path src = ProjectFiles.root().resolve(CrossTarget.MODULE).resolve("src/main/java");
        assertEquals("", JavaSources.compile(List.of(src), classes, null));
        return classes;
    }
}
