package io.github.mlpzoo.core.train;

import ai.djl.util.JsonUtils;
import io.github.mlpzoo.core.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What happened in a training run, one {@link Epoch} per epoch, saved as JSON and drawn by the CLI.
 */
public final class History {

    /**
     * One epoch.
     *
     * @param epoch 1-based epoch number
     * @param trainLoss mean training loss over the epoch's batches
     * @param valMetric the validation metric after the epoch
     * @param lr the learning rate at the end of the epoch
     * @param seconds wall time of the epoch, validation included
     */
    public record Epoch(int epoch, double trainLoss, double valMetric, double lr, double seconds) {}

    private final String metric;
    private final List<Epoch> epochs = new ArrayList<>();
    private int bestEpoch = -1;

    /** A history whose validation metric is called {@code metric}. */
    public History(String metric) {
        this.metric = metric;
    }

    /** The name of the validation metric. */
    public String metric() {
        return metric;
    }

    /** Appends an epoch. */
    public void add(Epoch e) {
        epochs.add(e);
    }

    /** The epochs so far, in order. */
    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Marks {@code epoch} (1-based) as the one whose checkpoint was kept. */
    public void setBestEpoch(int epoch) {
        this.bestEpoch = epoch;
    }

    /** The epoch whose checkpoint was kept, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The history as JSON: {@code {"metric":..., "bestEpoch":..., "epochs":[...]}}. */
    public String toJson() {
        return JsonUtils.GSON_PRETTY.toJson(this);
    }

    /** Writes {@link #toJson()} to {@code file}, through a temporary file renamed into place. */
    public void save(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }


    /** Reads a history written by {@link #save}. */
    public static History load(Path file) throws IOException {
        return JsonUtils.GSON.fromJson(Files.readString(file), History.class);
    }
}
