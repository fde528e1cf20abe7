package io.github.panamasockets.api;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fails a test that leaves a socket, pipe, epoll/eventfd/timerfd, memfd or test file
 * ({@code psock-test-} in its path) descriptor, a test thread ("psock-test-*")
 * or a child process behind. Descriptors are compared by what they point to
 * ({@code socket:[12345]}), so a number the JVM reuses for a file is not mistaken for a leak.
 */
final class NoLeaks implements BeforeEachCallback, AfterEachCallback {
    static final String THREAD_PREFIX = "psock-test-";
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLeaks.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("fds", kernelObjects());
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) throws InterruptedException {
        Map<Integer, String> before = (Map<Integer, String>) context.getStore(NS).get("fds");
        Map<Integer, String> after = kernelObjects();
        after.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        assertEquals(Map.of(), after, "descriptors left open by " + context.getDisplayName());

        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(THREAD_PREFIX)) {
                t.join(5_000); // a thread that is finishing gets a moment
                assertEquals(false, t.isAlive(), "thread left running: " + t.getName());
            }
        }
        assertEquals(0, ProcessHandle.current().children().filter(ProcessHandle::isAlive).count(),
                "child processes left: " + ProcessHandle.current().children().map(p -> p.pid() + " " + p.info().command().orElse("?")).toList());
    }

    /** This process's sockets, pipes and epoll instances, by descriptor number. */
    static Map<Integer, String> kernelObjects() {
        try (var list = Files.list(Path.of("/proc/self/fd"))) {
            return list.map(p -> {
                try {
                    return Map.entry(Integer.parseInt(p.getFileName().toString()), Files.readSymbolicLink(p).toString());
                } catch (IOException e) {
                    return null; // closed while listing (the listing's own descriptor)
                }
            }).filter(e -> e != null && (e.getValue().startsWith("socket:") || e.getValue().startsWith("pipe:")
                    || e.getValue().startsWith("anon_inode:") || e.getValue().startsWith("/memfd:")
                    || e.getValue().contains("/psock-test-")))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
