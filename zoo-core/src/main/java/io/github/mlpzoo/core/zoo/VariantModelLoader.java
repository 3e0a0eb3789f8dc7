package io.github.mlpzoo.core.zoo;

import ai.djl.Application;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.repository.Artifact;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.Translator;

import java.util.List;
import java.util.Map;

/**
 * Serves one {@link Variant} through DJL's {@code Criteria}: the block is built from the criteria's
 * arguments (config overrides, plus an optional {@code seed}) and initialized; nothing is downloaded.
 * The model takes and returns {@link NDList}s.
 */
final class VariantModelLoader implements ModelLoader {

    private final String name;

    VariantModelLoader(String name) {
        this.name = name;
    }

    @Override
    public String getArtifactId() {
        return name;
    }

    @Override
    public Application getApplication() {
        return Application.UNDEFINED;
    }

    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria) throws ModelNotFoundException {
        if (criteria.getInputClass() != NDList.class || criteria.getOutputClass() != NDList.class) {
            throw new ModelNotFoundException(
                    "MLP Zoo models take and return NDList; set Criteria.setTypes(NDList.class, NDList.class)");
        }
        Map<String, ?> args = criteria.getArguments();
        Object seed = args == null ? null : args.get("seed");
        long s = seed == null ? 0L : (long) Double.parseDouble(seed.toString());
        Model model = Zoo.newModel(name, VariantBlockFactory.overrides(args), s);
        @SuppressWarnings("unchecked")
        Translator<I, O> noop = (Translator<I, O>) new NoopTranslator();
        return new ZooModel<>(model, noop);
    }

    @Override
    public List<Artifact> listModels() {
        Artifact a = new Artifact();
        a.setName(name);
        a.setVersion("0.1.0");
        a.setArguments(Map.of(VariantBlockFactory.VARIANT_KEY, name));
        return List.of(a);
    }

    @Override
    public String toString() {
        return Zoo.GROUP_ID + ":" + name;
    }
}
