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
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A block whose saved metadata is its input shapes and a one-line description of its configuration
 * ({@link #describe()}, by default {@code toString()}). Loading parameters that a block of another version or another
 * configuration saved fails with a {@link MalformedModelException} naming both, before any parameter is read, so a
 * mismatched file never half-loads a model. Models built from a config record describe themselves with
 * {@link io.github.mlpzoo.core.zoo.Configs#describeWeights}, which leaves out dropout and drop path.
 *
 * <p>Loading is all or nothing even when the file fails later (truncated, or a parameter of another name): the
 * outermost described block being loaded puts every parameter back as it was before rethrowing. The arrays the failed
 * load read are closed; the ones it replaced are restored as copies (the originals stay on their manager until it
 * closes, as anything outside the block may still hold them).
 */
public abstract class DescribedBlock extends AbstractBlock {

    /** Set while a described block loads, so that only the outermost one keeps the parameters to restore. */
    private static final ThreadLocal<Boolean> LOADING = ThreadLocal.withInitial(() -> Boolean.FALSE);

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
            super.loadParameters(manager, is);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            restore(manager, before);
            throw e;
        } finally {
            LOADING.set(Boolean.FALSE);
        }
    }

    /** Puts back each parameter that a failed load replaced: a copy of its array before, the new one closed. */
    private static void restore(NDManager manager, Map<Parameter, NDArray> before) throws IOException {
        for (Map.Entry<Parameter, NDArray> e : before.entrySet()) {
            Parameter p = e.getKey();
            NDArray old = e.getValue();
            NDArray now = p.isInitialized() ? p.getArray() : null;
            if (now == old) {
                continue;
            }
            if (old == null) { // it had no array: drop the half-read one
                p.close();
                continue;
            }
            // Parameter offers no way to put an array back once its shape is set, but load() replaces it: feed load()
            // the old array through a stand-in parameter of the same name
            Parameter standIn = Parameter.builder().setName(p.getName()).setType(p.getType()).build();
            standIn.setArray(old);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream os = new DataOutputStream(bytes)) {
                standIn.save(os);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                p.load(old.getManager(), in);
            } catch (MalformedModelException impossible) {
                throw new IllegalStateException("cannot restore " + p.getName(), impossible);
            }
            if (now != null) {
                now.close();
            }
        }
    }
}
