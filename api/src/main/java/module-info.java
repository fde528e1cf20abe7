/** The facade: C's socket calls under their C names, with errno per thread. */
module io.github.panamasockets.api {
    requires transitive io.github.panamasockets.bindings;
    requires org.slf4j;
    requires java.management; // fork: the JVM options its child is started with
    exports io.github.panamasockets.api;
}
