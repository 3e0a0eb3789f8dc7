package io.github.mlpzoo.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;

import java.util.HashSet;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Two optimizer groups, as PyTorch's {@code param_groups}: parameters matching a condition are updated by
 * one optimizer (e.g. AdamW with weight decay 0), all others by another. DJL's optimizers apply one weight
 * decay to every parameter; the TabM paper's code ({@code paper/lib/deep.py}, {@code make_parameter_groups})
 * exempts biases and normalization parameters.
 */
final class ParameterGroups extends Optimizer {

    /**
     * The TabM paper's {@code default_zero_weight_decay_condition} in DJL terms: biases, the affine parameters of
     * normalization layers, and the parameters of its embedding modules {@code LinearEmbeddings} and
     * {@code _Periodic}. In our blocks those are {@code PiecewiseLinearEmbeddings}' {@code linear0_weight} (its
     * version-"B" {@code linear0} is an {@code rtdl_num_embeddings.LinearEmbeddings}) and
     * {@code PeriodicEmbeddings}' {@code periodic_weight} (the frequencies of {@code _Periodic}); the
     * piecewise-linear {@code _NLinear} weight and the periodic output linear's weight are decayed, as there.
     */
    static final BiPredicate<String, Parameter> BIASES_AND_NORMS = (name, p) ->
            name.endsWith("bias") || name.endsWith("beta") || name.endsWith("gamma")
                    || name.endsWith("linear0_weight") || name.endsWith("periodic_weight")
                    || p.getType() == Parameter.Type.BIAS || p.getType() == Parameter.Type.GAMMA
                    || p.getType() == Parameter.Type.BETA;

    private final Optimizer main;
    private final Optimizer exempt;
    private final Set<String> exemptIds;

    private ParameterGroups(Optimizer main, Optimizer exempt, Set<String> exemptIds) {
        super(new NoOptions());
        this.main = main;
        this.exempt = exempt;
        this.exemptIds = exemptIds;
    }

    /**
     * Routes the parameters of {@code block} that satisfy {@code condition} (given the flat parameter path and
     * the parameter) to {@code exempt}, the rest to {@code main}.
     */
    static Optimizer of(Block block, BiPredicate<String, Parameter> condition, Optimizer main, Optimizer exempt) {
        Set<String> ids = new HashSet<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() && condition.test(p.getKey(), p.getValue())) {
                ids.add(p.getValue().getId());
            }
        }
        return ids.isEmpty() ? main : new ParameterGroups(main, exempt, ids);
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        (exemptIds.contains(parameterId) ? exempt : main).update(parameterId, weight, grad);
    }

    /** The wrapper itself has no options; its two optimizers carry theirs. */
    private static final class NoOptions extends OptimizerBuilder<NoOptions> {
        @Override
        protected NoOptions self() {
            return this;
        }
    }
}
