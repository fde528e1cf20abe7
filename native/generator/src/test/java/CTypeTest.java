import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How CType spells {@code const void} (a DW_TAG_const_type with no type: gcc's DWARF for it) in the
 * places the headers do not show: alone, named, and as what a function pointer returns. The
 * committed check programs spell the pointer one as {@code const void*}.
 */
class CTypeTest {
    private static CType of(CType.Kind kind, CType target) {
        CType t = new CType(kind);
        t.target = target;
        return t;
    }

    private static final CType CONST_VOID = of(CType.Kind.CONST, null);

    @Test
    void constVoidAloneNamedAndPointedTo() {
        assertEquals("const void", CONST_VOID.spell(""));
        assertEquals("const void x", CONST_VOID.spell("x"));
        assertEquals("const void*", of(CType.Kind.POINTER, CONST_VOID).spell(""));
        assertEquals("const void*buf", of(CType.Kind.POINTER, CONST_VOID).spell("buf"));
    }

    @Test
    void constVoidReturnedThroughAFunctionPointer() {
        CType fn = of(CType.Kind.FUNCTION, CONST_VOID);
        fn.params.add(of(CType.Kind.POINTER, CONST_VOID));
        assertEquals("const void(*)(const void*)", of(CType.Kind.POINTER, fn).spell(""));
        assertEquals("const void(*get)(const void*)", of(CType.Kind.POINTER, fn).spell("get"));
        assertEquals("const void f(void)", of(CType.Kind.FUNCTION, CONST_VOID).spell("f"));
    }
}
