package io.github.mlpzoo.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A block whose saved metadata is its input shapes and a one-line description of its configuration
 * ({@link #describe()}, by default {@code toString()}). Loading parameters that a block of another version or another
 * configuration saved fails with a {@link MalformedModelException} naming both, before any parameter is read, so a
 * mismatched file never half-loads a model. Models built from a config record describe themselves with
 * {@link io.github.mlpzoo.core.zoo.Configs#describeWeights}, which leaves out dropout and drop path.
 *
 * <p>Loading is all or nothing even when the file fails later (truncated, or a parameter of another name): the
 * outermost described block being loaded puts every parameter's original array object back before rethrowing (a
 * trainer or predictor holding it is unaffected) and closes the arrays the failed load read. A described block inside
 * a block of another kind restores only its own parameters.
 *
 * <p>The outermost described block being saved ends its bytes with an integrity check: the marker {@code ZCRC} and
 * the CRC32C of everything it wrote. Loading verifies it after reading the parameters, so a corrupted file (a flipped
 * bit in an array, which DJL's own loader would take silently) is refused and the model keeps its parameters, on
 * every loading path: DJL's {@code Model.load}, {@code Criteria} and {@link io.github.mlpzoo.core.zoo.Zoo#load}.
 */
public abstract class DescribedBlock extends AbstractBlock {

    /** Set while a described block loads, so that only the outermost one keeps the parameters to restore. */
    private static final ThreadLocal<Boolean> LOADING = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** Set while a described block saves, so that only the outermost one writes the integrity check. */
    private static final ThreadLocal<Boolean> SAVING = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** "ZCRC": the marker before the CRC32C that ends the outermost described block's bytes. */
    private static final int CHECK_MARKER = 0x5A435243;

    /** @param version the block's parameter-file version; a file of any other version is refused */
    protected DescribedBlock(byte version) {
        super(version);
    }

    /** What identifies this block's configuration in a saved file; blocks that can share weights describe alike. */
    protected String describe() {
        return toString();
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(describe());
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        String name = getClass().getSimpleName();
        if (loadVersion != version) {
            throw new MalformedModelException(name + " parameters have version " + loadVersion + "; expected " + version);
        }
        readInputShapes(is);
        String saved = is.readUTF();
        if (!saved.equals(describe())) {
            throw new MalformedModelException(name + " parameters were saved for " + saved + "; this block is "
                    + describe());
        }
    }

    @Override
    public void saveParameters(DataOutputStream os) throws IOException {
        if (SAVING.get()) {
            super.saveParameters(os);
            return;
        }
        CRC32C crc = new CRC32C();
        SAVING.set(Boolean.TRUE);
        try {
            super.saveParameters(new DataOutputStream(new CheckedOutputStream(os, crc)));
        } finally {
            SAVING.remove();
        }
        os.writeInt(CHECK_MARKER);
        os.writeInt((int) crc.getValue());
    }

    @Override
    public void loadParameters(NDManager manager, DataInputStream is) throws IOException, MalformedModelException {
        if (LOADING.get()) {
            super.loadParameters(manager, is);
            return;
        }
        Map<Parameter, NDArray> before = new IdentityHashMap<>();
        for (Pair<String, Parameter> p : getParameters()) {
            before.put(p.getValue(), p.getValue().isInitialized() ? p.getValue().getArray() : null);
        }
        LOADING.set(Boolean.TRUE);
        try {
            CRC32C crc = new CRC32C();
            super.loadParameters(manager, new DataInputStream(new CheckedInputStream(is, crc)));
            verify(is, (int) crc.getValue());
        } catch (Throwable e) { // also an OutOfMemoryError from a corrupted length: the originals go back
            for (Map.Entry<Parameter, NDArray> b : before.entrySet()) {
                try {
                    restore(b.getKey(), b.getValue());
                } catch (IOException | MalformedModelException | RuntimeException r) {
                    e.addSuppressed(r);
                }
            }
            throw e;
        } finally {
            LOADING.remove();
        }
    }

    /** Reads the integrity check that follows the parameters and compares it with {@code crc}, theirs. */
    private void verify(DataInputStream is, int crc) throws IOException, MalformedModelException {
        String name = getClass().getSimpleName();
        int marker;
        int saved;
        try {
            marker = is.readInt();
            saved = is.readInt();
        } catch (EOFException e) {
            throw new MalformedModelException(name + " parameters end before their integrity check: the file is"
                    + " truncated, or was saved by a build before the check (2026-11-28)", e);
        }
        if (marker != CHECK_MARKER) {
            throw new MalformedModelException(String.format("%s parameters are followed by %08x where their integrity"
                    + " check (ZCRC) should be: the file is corrupted, or was saved by a build before the check"
                    + " (2026-11-28)", name, marker));
        }
        if (saved != crc) {
            throw new MalformedModelException(String.format("%s parameters are corrupted: the bytes read have CRC32C"
                    + " %08x, the file recorded %08x when saved", name, crc, saved));
        }
    }

    /**
     * Puts {@code old}, the very array object, back into {@code p} if a failed load replaced it, and closes the array
     * the load read. A parameter that had no array loses the half-read one.
     */
    private static void restore(Parameter p, NDArray old) throws IOException, MalformedModelException {
        NDArray now = p.isInitialized() ? p.getArray() : null;
        if (now == old) {
            return;
        }
        if (old == null) {
            p.close();
            return;
        }
        // Parameter takes an array back only through load(): a header ('P', format 1, its name), then its manager's
        // decode(). Give it a manager whose decode returns the original, so gradients and anyone holding it still see it.
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (DataOutputStream os = new DataOutputStream(header)) {
            os.writeChar('P');
            os.writeByte(1);
            os.writeUTF(p.getName());
        }
        NDManager giveBack = (NDManager) Proxy.newProxyInstance(NDManager.class.getClassLoader(),
                new Class<?>[] {NDManager.class}, (proxy, method, args) -> {
                    if ("decode".equals(method.getName())) {
                        return old;
                    }
                    throw new UnsupportedOperationException("restoring " + p.getName() + ": " + method.getName());
                });
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(header.toByteArray()))) {
            p.load(giveBack, in);
        }
        if (now != null) {
            now.close();
        }
    }
}
