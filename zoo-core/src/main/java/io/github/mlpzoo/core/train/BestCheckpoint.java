package io.github.mlpzoo.core.train;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The best epoch's parameters, kept twice: as a copy in native memory (restored into the model's own arrays at the
 * end, so every holder of those arrays sees them) and, if a directory is given, as DJL's
 * {@code <modelName>-NNNN.params} there. The file is written into a temporary directory beside it and then moved
 * into place atomically, so the directory never holds a partial checkpoint; the previous best file is then deleted.
 */
final class BestCheckpoint implements AutoCloseable {

    private final Model model;
    private final Path dir;
    private final NDManager manager;
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> copies = new ArrayList<>();
    private Path file;

    BestCheckpoint(Model model, Path dir) {
        this.model = model;
        this.dir = dir;
        this.manager = model.getNDManager().newSubManager();
    }

    /** Records the model's current parameters as epoch {@code epoch}'s. */
    void save(int epoch) throws IOException {
        copies.forEach(NDArray::close);
        copies.clear();
        params.clear();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray live = p.getValue().getArray();
            // a native clone of a detached view; toDevice(sameDevice, copy=true) would NOT copy on PyTorch
            try (NDArray view = live.stopGradient()) {
                NDArray copy = view.duplicate();
                copy.attach(manager);
                copies.add(copy);
            }
            params.add(p.getValue());
        }
        if (dir != null) {
            write(epoch);
        }
    }

    private void write(int epoch) throws IOException {
        Files.createDirectories(dir);
        String name = model.getName();
        String fileName = String.format(Locale.ROOT, "%s-%04d.params", name, epoch);
        Path tmp = Files.createTempDirectory(dir, ".checkpoint-");
        try {
            model.setProperty("Epoch", Integer.toString(epoch));
            model.save(tmp, name);
            Path target = dir.resolve(fileName);
            Files.move(tmp.resolve(fileName), target, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            if (file != null && !file.equals(target)) {
                Files.deleteIfExists(file);
            }
            file = target;
        } finally {
            deleteTree(tmp);
        }
    }

    /** Copies the recorded parameters back into the model's arrays (no-op if nothing was saved). */
    void restore() {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).getArray().set(copies.get(i).toByteBuffer());
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
