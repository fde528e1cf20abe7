package io.github.panamasockets.bindings;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in a child JVM whose class path holds another platform's compiled bindings in place of
 * this platform's (same class names): holds every item its check program confirmed against
 * those classes, exactly as BindingsMatchCompilerTest does here. Prints the platform the
 * classes say they are for, each mismatch, and the count. The JVM is told
 * -Dpanamasockets.platform=THAT so the guard lets its layouts be read; nothing is called.
 */
final class OtherPlatformCheck {
    private OtherPlatformCheck() {}

    public static void main(String[] args) throws Exception {
        System.out.println("platform " + sockets_h.class.getField("PLATFORM").get(null));
        int checked = 0, bad = 0;
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (line.startsWith("bad ")) { System.out.println(line); bad++; }
            if (!line.startsWith("ok ")) continue;
            String[] w = line.split(" ", 4);
            String problem = BindingsMatchCompilerTest.javaMismatch(w[1], w[2], w[3]);
            if (problem != null) { System.out.println(problem); bad++; }
            checked++;
        }
        System.out.println("checked " + checked);
        System.exit(bad == 0 ? 0 : 1);
    }
}
