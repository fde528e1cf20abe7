import java.io.File;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Prints the public surface of compiled bindings, one sorted line per class and member:
 *   java --enable-native-access=ALL-UNNAMED native/jextract-check/Surface.java dump CLASSES_DIR PACKAGE
 * and compares two such listings (jextract's, then ours), allowing only the additions and the one
 * descriptor difference the README lists:
 *   java native/jextract-check/Surface.java compare JEXTRACT_LISTING OUR_LISTING HEADER_CLASS
 * Each public member is listed under the public class it is reached through: members of a
 * non-public superclass (jextract's sockets_h_1, ... chunks of a big header) under the public
 * subclass, members of a public superclass (sockets_h$shared) under that class. Each line holds
 * the modifiers and full signature, and for what can be read without calling C (a constant, a
 * layout, an offset, a descriptor, the dimensions of an array field) its value, so that two
 * trees that print the same lines agree on every name, type, constant, size, offset and layout.
 */
public final class Surface {
    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("compare")) {
            System.exit(compare(Files.readAllLines(Path.of(args[1])), Files.readAllLines(Path.of(args[2])), args[3]) ? 0 : 1);
        }
        if (args.length != 3 || !args[0].equals("dump")) {
            System.err.println("usage: Surface dump CLASSES_DIR PACKAGE | Surface compare JEXTRACT_LISTING OUR_LISTING HEADER_CLASS");
            System.exit(2);
        }
        Path classes = Path.of(args[1]);
        String pkg = args[2];
        Path pkgDir = classes.resolve(pkg.replace('.', File.separatorChar));
        TreeSet<String> lines = new TreeSet<>();
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()}, Surface.class.getClassLoader());
             Stream<Path> files = Files.list(pkgDir)) {
            for (Path f : files.sorted().toList()) {
                String file = f.getFileName().toString();
                if (!file.endsWith(".class") || file.equals("module-info.class")) continue;
                Class<?> c = Class.forName(pkg + "." + file.substring(0, file.length() - 6), false, loader);
                if (c.getEnclosingClass() == null && Modifier.isPublic(c.getModifiers())) describe(c, lines);
            }
        }
        lines.forEach(System.out::println);
    }

    /** The class line and one line per public member, then the same for each public nested class. */
    private static void describe(Class<?> c, TreeSet<String> out) throws Exception {
        String name = c.getName().substring(c.getPackageName().length() + 1);
        Class<?> sup = c.getSuperclass();
        while (sup != null && !Modifier.isPublic(sup.getModifiers())) sup = sup.getSuperclass();
        out.add(name + " " + modifiers(c.getModifiers() & ~Modifier.STATIC) + (c.isInterface() ? "interface" : "class")
                + (sup == null || sup == Object.class ? "" : " extends " + sup.getSimpleName()));
        Set<String> functions = new TreeSet<>();
        for (Method m : c.getMethods()) if (m.getName().endsWith("$descriptor")) functions.add(m.getName().replace("$descriptor", ""));
        for (Class<?> n : c.getDeclaredClasses()) functions.add(n.getSimpleName()); // a variadic function's invoker class
        for (Method m : c.getMethods()) {
            if (!reachedThrough(m.getDeclaringClass(), c)) continue;
            String sig = modifiers(m.getModifiers()) + m.getGenericReturnType().getTypeName() + " " + m.getName() + "("
                    + Arrays.stream(m.getGenericParameterTypes()).map(t -> t.getTypeName()).collect(Collectors.joining(", ")) + ")";
            out.add(name + " | " + sig + value(m, functions));
        }
        for (Field f : c.getFields()) {
            if (!reachedThrough(f.getDeclaringClass(), c)) continue;
            String sig = modifiers(f.getModifiers()) + f.getGenericType().getTypeName() + " " + f.getName();
            f.setAccessible(true);
            out.add(name + " | " + sig + (Modifier.isStatic(f.getModifiers()) ? " = " + show(f.get(null)) : ""));
        }
        for (var k : c.getConstructors()) out.add(name + " | " + modifiers(k.getModifiers()) + name + "(" + Arrays.toString(k.getParameterTypes()) + ")");
        for (Class<?> n : c.getDeclaredClasses()) if (Modifier.isPublic(n.getModifiers())) describe(n, out);
    }

    /** True when a member declared in {@code declaring} belongs to {@code c}'s listing. */
    private static boolean reachedThrough(Class<?> declaring, Class<?> c) {
        if (declaring == Object.class) return false;
        if (declaring == c) return true;
        // Declared in a superclass: listed here only when that class is not public itself.
        return !Modifier.isPublic(declaring.getModifiers()) && declaring.isAssignableFrom(c);
    }

    /** " = value" for a static no-argument method that is not a C function, an address or a handle. */
    private static String value(Method m, Set<String> functions) throws Exception {
        String n = m.getName();
        if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0 || functions.contains(n)
                || n.endsWith("$address") || n.endsWith("$handle") || n.equals("address")) return "";
        try {
            m.setAccessible(true); // declared in a package-private chunk of jextract's header class
            return " = " + show(m.invoke(null));
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause() instanceof ExceptionInInitializerError x && x.getCause() != null ? x.getCause() : e.getCause();
            return " = throws " + cause;   // e.g. a function libc does not export (atexit lives in libc_nonshared.a)
        }
    }

    private static String show(Object v) {
        if (v instanceof long[] a) return Arrays.toString(a);
        if (v instanceof MemoryLayout || v instanceof FunctionDescriptor || v instanceof Number || v instanceof String
                || v instanceof Boolean || v instanceof Character) return String.valueOf(v);
        return v == null ? "null" : "(" + v.getClass().getSimpleName() + ")";
    }

    private static String modifiers(int mods) {
        String s = Modifier.toString(mods & (Modifier.PUBLIC | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT));
        return s.isEmpty() ? "" : s + " ";
    }

    // ---- compare --------------------------------------------------------------------------------

    /** Classes the project's generator writes beside jextract's (README, "Bindings"): whole classes, on purpose. */
    private static final Map<String, String> ADDED_CLASSES = Map.of(
            "SocketsConstants", "the constants as compile-time constants, so that `case EINTR:` compiles",
            "ErrnoTable", "every errno's number, name and strerror text, for the facade's Errno, strerror and perror");

    /** A union of pointers (glibc's transparent __SOCKADDR_ARG), as a layout prints: "[a8(x):[*:b1]|a8(y):[*:b1]](name)". */
    private static final java.util.regex.Pattern POINTER_UNION =
            java.util.regex.Pattern.compile("\\[a8\\([^)]*\\):\\[\\*:b1\\](?:\\|a8\\([^)]*\\):\\[\\*:b1\\])*\\]\\([^)]*\\)");

    /** Prints what differs; true when nothing differs beyond the listed additions and the pointer-for-union descriptors. */
    static boolean compare(List<String> jextract, List<String> ours, String headerClass) {
        Map<String, String> theirs = byKey(jextract), mine = byKey(ours);
        List<String> unexpected = new ArrayList<>(), expected = new ArrayList<>(), additions = new ArrayList<>();
        int same = 0;
        for (var e : theirs.entrySet()) {
            String key = e.getKey(), v = e.getValue(), o = mine.get(key);
            if (o == null) unexpected.add("only in jextract's: " + key + v);
            else if (o.equals(v)) same++;
            else if (key.endsWith("$descriptor()") && POINTER_UNION.matcher(v).replaceAll("a8:[*:b1]").equals(o)) {
                expected.add(key.substring(key.lastIndexOf(' ') + 1) + ": glibc's transparent __SOCKADDR_ARG union is passed as the pointer it is (jextract: by value)");
            } else unexpected.add("differs: " + key + "\n      jextract: " + v + "\n      ours:     " + o);
        }
        Map<String, Integer> addedClasses = new TreeMap<>();
        for (var e : mine.entrySet()) {
            String key = e.getKey();
            if (theirs.containsKey(key)) continue;
            String cls = key.split("[ $|]", 2)[0];
            if (ADDED_CLASSES.containsKey(cls)) addedClasses.merge(cls, 1, Integer::sum);
            else if (key.equals(headerClass + " | public static final java.lang.String PLATFORM")) {
                additions.add(headerClass + ".PLATFORM" + e.getValue() + ": the platform the bindings were generated for; loading them on another one fails, naming both");
            } else unexpected.add("only in ours: " + key + e.getValue());
        }
        addedClasses.forEach((c, n) -> additions.add("class " + c + " (" + n + " lines): " + ADDED_CLASSES.get(c)));
        System.out.println("surface: " + theirs.size() + " lines from jextract's classes, " + mine.size() + " from ours; "
                + same + " identical (classes, signatures, constants, layouts, offsets, dimensions, descriptors)");
        System.out.println("expected differences (" + expected.size() + "), listed in the README:");
        expected.forEach(x -> System.out.println("  " + x));
        System.out.println("additions of ours (" + additions.size() + "), listed in the README:");
        additions.forEach(x -> System.out.println("  " + x));
        System.out.println("unexpected differences: " + unexpected.size());
        unexpected.forEach(x -> System.out.println("  " + x));
        return unexpected.isEmpty();
    }

    /** "class | signature" -> " = value" (or ""); a class line is its own key. */
    private static Map<String, String> byKey(List<String> lines) {
        Map<String, String> m = new TreeMap<>();
        for (String l : lines) {
            int eq = l.contains(" | ") ? l.indexOf(" = ") : -1;
            if (eq < 0) m.put(l, "");
            else m.put(l.substring(0, eq), l.substring(eq));
        }
        return m;
    }
}
