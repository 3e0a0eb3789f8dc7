package io.github.mlpzoo.core.train;

import io.github.mlpzoo.core.zoo.Variant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** The {@link ZooTask}s on the class path, by dataset name. */
public final class Tasks {

    private Tasks() {}

    /** Every task, sorted by dataset name. */
    public static List<ZooTask> list() {
        List<ZooTask> out = new ArrayList<>();
        ServiceLoader.load(ZooTask.class, Tasks.class.getClassLoader()).forEach(out::add);
        out.sort(Comparator.comparing(ZooTask::dataset));
        return out;
    }

    /**
     * The task for {@code dataset}, checked to support {@code variant}.
     *
     * @throws IllegalArgumentException naming the known datasets, or the ones that fit the variant
     */
    public static ZooTask get(String dataset, Variant<?> variant) {
        List<ZooTask> all = list();
        for (ZooTask t : all) {
            if (t.dataset().equals(dataset)) {
                if (variant != null && !t.supports(variant)) {
                    throw new IllegalArgumentException(
                            "dataset '" + dataset + "' does not fit model '" + variant.name() + "'; datasets for it: "
                                    + names(all.stream().filter(x -> x.supports(variant)).collect(Collectors.toList())));
                }
                return t;
            }
        }
        throw new IllegalArgumentException("unknown dataset '" + dataset + "'; known: " + names(all));
    }

    private static String names(List<ZooTask> tasks) {
        return tasks.isEmpty() ? "(none)" : tasks.stream().map(ZooTask::dataset).collect(Collectors.joining(", "));
    }
}
