package io.github.mlpzoo.core.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

import io.github.mlpzoo.core.Engines;

import java.util.Set;

/**
 * DJL {@link ZooProvider} for group id {@value Zoo#GROUP_ID}: every registered variant is an artifact,
 * so {@code Criteria.builder().optGroupId("io.github.mlpzoo").optArtifactId("mlp")} builds it offline.
 */
public final class MlpZooProvider implements ZooProvider {

    @Override
    public ModelZoo getModelZoo() {
        Engines.configureOffline();
        return new VariantZoo();
    }

    /** The DJL model zoo view of the registry. */
    static final class VariantZoo extends ModelZoo {

        VariantZoo() {
            for (Variant<?> v : Zoo.list()) {
                addModel(new VariantModelLoader(v.name()));
            }
        }

        @Override
        public String getGroupId() {
            return Zoo.GROUP_ID;
        }

        @Override
        public Set<String> getSupportedEngines() {
            return Set.of("PyTorch");
        }
    }
}
