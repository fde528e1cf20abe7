import java.util.ArrayList;
import java.util.List;

/** A C type as the compiler describes it in DWARF: enough to spell it in C and lay it out in Java. */
final class CType {
    enum Kind { VOID, BASE, POINTER, ARRAY, STRUCT, UNION, TYPEDEF, CONST, VOLATILE, RESTRICT, FUNCTION, ENUM }

    /** A struct or union member, as DWARF gives it: offset in bytes, bit size when a bit field. */
    record Member(String name, CType type, long offset, int bitSize) {
        boolean isBitField() { return bitSize > 0; }
    }

    final Kind kind;
    String name;              // tag, typedef or base-type name; null when anonymous
    long size;                // byte size where DWARF gives one
    boolean unsigned;         // base types
    boolean floating;         // base types
    CType target;             // pointee, element, typedef'd, qualified, enum's underlying, function's return
    long count;               // array element count
    boolean variadic;         // functions
    final List<Member> members = new ArrayList<>();
    final List<CType> params = new ArrayList<>();
    boolean transparent;      // a union the compiler takes a pointer for (glibc's __SOCKADDR_ARG)
    long line, column;        // where a struct/union is declared: jextract names an anonymous one's layout "$anon$LINE:COLUMN"

    CType(Kind kind) { this.kind = kind; }

    /** This type without typedefs and qualifiers. */
    CType canonical() {
        CType t = this;
        while (t.kind == Kind.TYPEDEF || t.kind == Kind.CONST || t.kind == Kind.VOLATILE || t.kind == Kind.RESTRICT) {
            t = t.target == null ? VOID : t.target;
        }
        return t;
    }

    static final CType VOID = new CType(Kind.VOID);

    boolean isRecord() { return kind == Kind.STRUCT || kind == Kind.UNION; }

    /** The name of a struct/union's layout: its tag, or for an anonymous one jextract's "$anon$LINE:COLUMN". */
    String layoutName() { return name != null ? name : "$anon$" + line + ":" + column; }

    /** An array declared without a length (a flexible array member): no dimensions, no indexed accessors. */
    boolean isFlexibleArray() { return kind == Kind.ARRAY && count == 0; }

    long byteSize() {
        CType c = canonical();
        return switch (c.kind) {
            case VOID, FUNCTION -> 0;
            case ARRAY -> c.count * c.target.byteSize();
            case ENUM -> c.size != 0 ? c.size : c.target.byteSize();
            default -> c.size;
        };
    }

    /**
     * The alignment the type has when nothing packs it: that of its widest scalar. Records that
     * the compiler packed (a member off its natural boundary, as glibc's epoll_event on x86_64)
     * align to 1. The verifier checks every result against the compiler's _Alignof.
     */
    long naturalAlignment() {
        CType c = canonical();
        switch (c.kind) {
            case ARRAY: return c.target.naturalAlignment();
            case STRUCT, UNION: {
                long align = 1;
                for (Member m : c.members) {
                    if (m.isBitField()) continue;
                    long a = m.type.naturalAlignment();
                    if (m.offset % a != 0) return 1;
                    align = Math.max(align, a);
                }
                return c.size % align == 0 ? align : 1;
            }
            case VOID, FUNCTION: return 1;
            default: return Math.max(1, byteSize());
        }
    }

    /** The C spelling of this type, as a declaration of {@code declarator} ("" for an abstract one). */
    String spell(String declarator) {
        String sep = declarator.isEmpty() || declarator.startsWith("*") || declarator.startsWith("(") ? "" : " ";
        return switch (kind) {
            case VOID -> "void" + (declarator.isEmpty() ? "" : " " + declarator);
            case BASE, TYPEDEF -> name + (declarator.isEmpty() ? "" : " " + declarator);
            case STRUCT -> "struct " + name + (declarator.isEmpty() ? "" : " " + declarator);
            case UNION -> "union " + name + (declarator.isEmpty() ? "" : " " + declarator);
            case ENUM -> "enum " + name + (declarator.isEmpty() ? "" : " " + declarator);
            case CONST -> target == null ? "const void" + sep + declarator : qualify("const", declarator);
            case VOLATILE -> qualify("volatile", declarator);
            case RESTRICT -> target.spell("restrict" + (declarator.isEmpty() ? "" : " " + declarator));
            case POINTER -> (target == null ? VOID : target).spell(
                    needsParens(target) ? "(*" + declarator + ")" : "*" + declarator);
            case ARRAY -> target.spell((declarator.startsWith("*") ? "(" + declarator + ")" : declarator) + "[" + count + "]");
            case FUNCTION -> (target == null ? VOID : target).spell(declarator + "(" + paramList() + ")");
        };
    }

    private String qualify(String qualifier, String declarator) {
        // "const int x" reads best for simple types; pointers put the qualifier after the star.
        return switch (target.kind) {
            case POINTER -> target.spell(qualifier + (declarator.isEmpty() ? "" : " " + declarator));
            default -> qualifier + " " + target.spell(declarator);
        };
    }

    private static boolean needsParens(CType pointee) {
        return pointee != null && (pointee.kind == Kind.FUNCTION || pointee.kind == Kind.ARRAY);
    }

    String paramList() {
        if (params.isEmpty()) return variadic ? "..." : "void";
        List<String> parts = new ArrayList<>();
        for (CType p : params) parts.add(p.spell(""));
        if (variadic) parts.add("...");
        return String.join(", ", parts);
    }

    /** True for a transparent union of pointers (glibc's __SOCKADDR_ARG), which the generator passes as the pointer it is. */
    boolean isPointerUnion() {
        CType c = canonical();
        return c.kind == Kind.UNION && c.transparent;
    }
}
