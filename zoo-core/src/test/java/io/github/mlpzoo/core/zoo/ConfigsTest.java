package io.github.mlpzoo.core.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Config overrides: every supported type, every error message, and the string round trip. */
class ConfigsTest {

    enum Size { SMALL, LARGE }

    /** Every supported component type; the constructor validates like a real config. */
    record Cfg(int width, long seed, float dropout, double lr, boolean bias, String name, Size size,
            int[] dims, float[] scales) {
        Cfg {
            if (width < 1) {
                throw new IllegalArgumentException("width must be >= 1; got " + width);
            }
        }
    }

    record Unsupported(List<String> items) {}

    /** A config with an initialization-only component. */
    record Marked(int width, @TrainingOnly float initScale, Cfg backbone) {}

    /** A head's config holding its backbone's. */
    record Head(Cfg backbone, int targets) {}

    private static final Cfg BASE = new Cfg(8, 1L, 0.1f, 1e-3, true, "mlp", Size.SMALL,
            new int[] {4, 2}, new float[] {0.5f});

    @Test
    void noOverridesReturnsTheSameRecord() {
        assertSame(BASE, Configs.override(BASE, Map.of()));
        assertSame(BASE, Configs.override(BASE, null));
    }

    @Test
    void everyTypeParses() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("width", " 16 ");
        o.put("seed", "9007199254740993");
        o.put("dropout", "0.25");
        o.put("lr", "2e-4");
        o.put("bias", "FALSE");
        o.put("name", "gmlp");
        o.put("size", "large");
        o.put("dims", "1, 2,3");
        o.put("scales", "0.1,2");
        Cfg c = Configs.override(BASE, o);
        assertEquals(16, c.width());
        assertEquals(9007199254740993L, c.seed());
        assertEquals(0.25f, c.dropout());
        assertEquals(2e-4, c.lr());
        assertEquals(false, c.bias());
        assertEquals("gmlp", c.name());
        assertEquals(Size.LARGE, c.size());
        assertArrayEquals(new int[] {1, 2, 3}, c.dims());
        assertArrayEquals(new float[] {0.1f, 2f}, c.scales());
        // untouched components keep the base values
        Cfg one = Configs.override(BASE, Map.of("width", "3"));
        assertEquals("mlp", one.name());
        assertArrayEquals(new int[] {4, 2}, one.dims());
        assertArrayEquals(new int[0], Configs.override(BASE, Map.of("dims", "")).dims());
    }

    @Test
    void unknownKeyListsTheValidKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(BASE, Map.of("widht", "3")));
        assertEquals("unknown config key 'widht' for Cfg; valid keys: width, seed, dropout, lr, bias, name, size, "
                + "dims, scales", e.getMessage());
    }

    @Test
    void badValuesNameKeyExpectationAndValue() {
        IllegalArgumentException i = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(BASE, Map.of("width", "wide")));
        assertEquals("config key 'width' expects an integer; got 'wide'", i.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(BASE, Map.of("bias", "yes")));
        assertEquals("config key 'bias' expects true or false; got 'yes'", b.getMessage());
        IllegalArgumentException s = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(BASE, Map.of("size", "medium")));
        assertEquals("config key 'size' expects one of small, large; got 'medium'", s.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(BASE, Map.of("dims", "1,x")));
        assertEquals("config key 'dims' expects comma-separated integers; got '1,x'", d.getMessage());
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(BASE, Map.of("scales", "0.1;0.2")));
        assertEquals("config key 'scales' expects comma-separated numbers; got '0.1;0.2'", f.getMessage());
    }

    @Test
    void recordValidationIsReportedWithTheRecordName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(BASE, Map.of("width", "0")));
        assertEquals("invalid Cfg: width must be >= 1; got 0", e.getMessage());
    }

    @Test
    void unsupportedComponentTypeIsAProgrammingError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Configs.override(new Unsupported(List.of()), Map.of("items", "a")));
        assertEquals("config key 'items' has unsupported type List", e.getMessage());
    }

    @Test
    void toStringsReadsBackToAnEqualConfig() {
        Cfg odd = new Cfg(3, -5L, 1e-7f, 0.1 + 0.2, false, "a b", Size.LARGE, new int[] {7}, new float[] {1f / 3, -0f});
        Map<String, String> strings = Configs.toStrings(odd);
        assertEquals("3", strings.get("width"));
        assertEquals("LARGE", strings.get("size"));
        assertEquals("7", strings.get("dims"));
        Cfg back = Configs.override(BASE, strings);
        assertEquals(strings, Configs.toStrings(back));
        assertEquals(odd.lr(), back.lr());
        assertEquals(odd.dropout(), back.dropout());
        assertArrayEquals(odd.scales(), back.scales());
    }

    @Test
    void toMapKeepsDeclarationOrderAndValues() {
        Map<String, Object> m = Configs.toMap(BASE);
        assertEquals(List.of("width", "seed", "dropout", "lr", "bias", "name", "size", "dims", "scales"),
                List.copyOf(m.keySet()));
        assertEquals(8, m.get("width"));
        assertSame(BASE.dims(), m.get("dims"));
    }

    @Test
    void nestedRecordKeysAreSetByTheirOwnNames() {
        Head head = new Head(BASE, 3);
        Head h = Configs.override(head, Map.of("width", "16", "targets", "5", "size", "large"));
        assertEquals(16, h.backbone().width());
        assertEquals(Size.LARGE, h.backbone().size());
        assertEquals(5, h.targets());
        assertEquals("16", Configs.toStrings(h).get("width"));
        assertEquals(false, Configs.toStrings(h).containsKey("backbone"));
        Head back = Configs.override(head, Configs.toStrings(h));
        assertEquals(Configs.toStrings(h), Configs.toStrings(back));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Configs.override(head, Map.of("widht", "3")));
        assertTrue(e.getMessage().contains("valid keys: width, seed"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Configs.override(head, Map.of("width", "0")));
        assertTrue(e.getMessage().contains("width must be >= 1; got 0"), e.getMessage());
    }

    @Test
    void weightsDescriptionLeavesOutTrainingOnlyComponents() {
        assertEquals("Cfg[width=8, seed=1, lr=0.001, bias=true, name=mlp, size=SMALL, dims=4,2, scales=0.5]",
                Configs.describeWeights(BASE));
        Cfg otherDropout = Configs.override(BASE, Map.of("dropout", "0.5"));
        assertEquals(Configs.describeWeights(BASE), Configs.describeWeights(otherDropout));
        Cfg sameDims = Configs.override(BASE, Map.of("dims", "4,2"));
        assertEquals(Configs.describeWeights(BASE), Configs.describeWeights(sameDims)); // arrays by value
        assertTrue(!Configs.describeWeights(BASE).equals(
                Configs.describeWeights(Configs.override(BASE, Map.of("dims", "4,3")))));
        assertEquals("Head[width=8, seed=1, lr=0.001, bias=true, name=mlp, size=SMALL, dims=4,2, scales=0.5, "
                + "targets=3]", Configs.describeWeights(new Head(BASE, 3)));
        assertEquals("Marked[width=2, width=8, seed=1, lr=0.001, bias=true, name=mlp, size=SMALL, dims=4,2, scales=0.5]",
                Configs.describeWeights(new Marked(2, 0.02f, BASE)));
    }
}
