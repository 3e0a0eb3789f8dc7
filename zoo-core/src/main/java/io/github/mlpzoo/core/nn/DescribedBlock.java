package io.github.mlpzoo.core.nn;

import ai.djl.MalformedModelException;
import ai.djl.nn.AbstractBlock;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A block whose saved metadata is its input shapes and a one-line description of its configuration
 * ({@link #describe()}, by default {@code toString()}). Loading parameters that a block of another version or another
 * configuration saved fails with a {@link MalformedModelException} naming both, before any parameter is read, so a
 * mismatched file never half-loads a model. Models built from a config record describe themselves with
 * {@link io.github.mlpzoo.core.zoo.Configs#describeWeights}, which leaves out dropout and drop path.
 */
public abstract class DescribedBlock extends AbstractBlock {

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
}
