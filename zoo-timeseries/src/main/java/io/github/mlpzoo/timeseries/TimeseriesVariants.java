package io.github.mlpzoo.timeseries;

import ai.djl.ndarray.types.DataDesc;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import io.github.mlpzoo.core.zoo.Anchor;
import io.github.mlpzoo.core.zoo.Variant;
import io.github.mlpzoo.core.zoo.VariantProvider;
import io.github.mlpzoo.timeseries.tsmixer.TSMixer;
import io.github.mlpzoo.timeseries.tsmixer.TSMixerConfig;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixer;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerConfig;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerForPretraining;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerForTargets;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerHeadConfig;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerKeyMap;
import io.github.mlpzoo.timeseries.patchtsmixer.PatchTSMixerPretrainConfig;

import java.util.List;

/**
 * The time-series variants, registered through {@code META-INF/services}:
 * <ul>
 *   <li>{@code patchtsmixer}: HF's {@code PatchTSMixerConfig()} defaults ({@link PatchTSMixerConfig#hfDefault()});</li>
 *   <li>{@code patchtsmixer_mix_channel}: the same with {@code mode="mix_channel"};</li>
 *   <li>{@code patchtsmixer_etth1}: IBM's ETTh1 configuration, 432,096 parameters ({@link PatchTSMixerConfig#etth1()});</li>
 *   <li>{@code patchtsmixer_pretrain}, {@code patchtsmixer_classification}, {@code patchtsmixer_regression}: HF's
 *       pretraining, classification and regression models with HF's defaults;</li>
 *   <li>{@code patchtsmixer_released}: the config of the released checkpoint {@code ibm-granite/granite-timeseries-patchtsmixer};</li>
 *   <li>{@code tsmixer}: Google's TSMixer with RevIN, the official {@code run.py} defaults ({@link TSMixerConfig#runDefaults()});</li>
 *   <li>{@code tsmixer_etth1}: the same at context 512 for the ETTh1 comparison ({@link TSMixerConfig#etth1()}).</li>
 * </ul>
 * Each takes {@code past_values (B, T, C)}; the forecasters return {@code (B, H, C)}, the pretraining model its
 * reconstruction {@code (B, C, N, P)} first, the classification and regression models {@code (B, num_targets)}.
 */
public final class TimeseriesVariants implements VariantProvider {

    static final String TSMIXER_PAPER = "Ekambaram et al., TSMixer: Lightweight MLP-Mixer Model for Multivariate "
            + "Time Series Forecasting, KDD 2023";
    static final String HF_REPO = "huggingface/transformers src/transformers/models/patchtsmixer";

    /** {@inheritDoc} */
    @Override
    public List<Variant<?>> variants() {
        return List.of(
                patchTsMixer("patchtsmixer", PatchTSMixerConfig.hfDefault(), "PatchTSMixer with HF's default config"),
                patchTsMixer("patchtsmixer_mix_channel", mixChannel(),
                        "PatchTSMixer with HF's defaults in mix_channel mode (a channel mixer in every layer)"),
                patchTsMixer("patchtsmixer_etth1", PatchTSMixerConfig.etth1(),
                        "PatchTSMixer, IBM's ETTh1 config (context 512, horizon 96, patch 8, d_model 48, 3 layers)"),
                patchTsMixer("patchtsmixer_released", PatchTSMixerConfig.released(),
                        "PatchTSMixer, config of the released ETTh1 checkpoint (patch 16, 2 layers)"),
                Variant.builder("patchtsmixer_pretrain", PatchTSMixerPretrainConfig.hfDefault())
                        .setDomain("timeseries").setPaper(TSMIXER_PAPER).setOfficialRepo(HF_REPO)
                        .optSummary("PatchTSMixer masked-patch pretraining (HF PatchTSMixerForPretraining defaults)")
                        .setFactory(PatchTSMixerForPretraining::new)
                        .optKeyMap(PatchTSMixerForPretraining::keyMap)
                        .setInputs(cfg -> pastValues(cfg.model()))
                        .build(),
                targets("patchtsmixer_classification",
                        "PatchTSMixer series classification (HF PatchTSMixerForTimeSeriesClassification defaults)"),
                targets("patchtsmixer_regression",
                        "PatchTSMixer series regression (HF PatchTSMixerForRegression defaults, loss mse)"),
                tsMixer("tsmixer", TSMixerConfig.runDefaults(),
                        "Google's TSMixer with RevIN, run.py defaults (context 336, horizon 96, 2 blocks, ff 2048)"),
                tsMixer("tsmixer_etth1", TSMixerConfig.etth1(),
                        "Google's TSMixer with RevIN, run.py defaults at context 512 (horizon 96)"));
    }

    static final String GOOGLE_PAPER = "Chen et al., TSMixer: An All-MLP Architecture for Time Series Forecasting, "
            + "TMLR 2023";
    static final String GOOGLE_REPO = "google-research/google-research tsmixer/tsmixer_basic";

    private static Variant<TSMixerConfig> tsMixer(String name, TSMixerConfig c, String summary) {
        return Variant.builder(name, c)
                .setDomain("timeseries")
                .setPaper(GOOGLE_PAPER)
                .setOfficialRepo(GOOGLE_REPO)
                .optSummary(summary)
                .setFactory(TSMixer::new)
                .setInputs(cfg -> new DataDesc[] {new DataDesc(
                        new Shape(1, cfg.contextLength(), cfg.channels()), DataType.FLOAT32, "past_values")})
                .build();
    }

    private static Variant<PatchTSMixerHeadConfig> targets(String name, String summary) {
        return Variant.builder(name, PatchTSMixerHeadConfig.hfDefault())
                .setDomain("timeseries").setPaper(TSMIXER_PAPER).setOfficialRepo(HF_REPO)
                .optSummary(summary)
                .setFactory(PatchTSMixerForTargets::new)
                .optKeyMap(PatchTSMixerForTargets::keyMap)
                .setInputs(cfg -> pastValues(cfg.model()))
                .build();
    }

    private static DataDesc[] pastValues(PatchTSMixerConfig cfg) {
        return new DataDesc[] {new DataDesc(new Shape(1, cfg.contextLength(), cfg.channels()), DataType.FLOAT32,
                "past_values")};
    }

    private static PatchTSMixerConfig mixChannel() {
        PatchTSMixerConfig d = PatchTSMixerConfig.hfDefault();
        return new PatchTSMixerConfig(d.contextLength(), d.patchLength(), d.patchStride(), d.channels(), d.dModel(),
                d.expansion(), d.layers(), d.dropout(), d.headDropout(), PatchTSMixerConfig.Mode.MIX_CHANNEL,
                d.gatedAttn(), d.norm(), d.scaling(), d.predictionLength());
    }

    private static Variant<PatchTSMixerConfig> patchTsMixer(String name, PatchTSMixerConfig c, String summary) {
        Variant.Builder<PatchTSMixerConfig> b = Variant.builder(name, c)
                .setDomain("timeseries")
                .setPaper(TSMIXER_PAPER)
                .setOfficialRepo(HF_REPO)
                .optSummary(summary)
                .setFactory(PatchTSMixer::new)
                .optKeyMap(PatchTSMixerKeyMap::of)
                .setInputs(cfg -> new DataDesc[] {new DataDesc(
                        new Shape(1, cfg.contextLength(), cfg.channels()), DataType.FLOAT32, "past_values")});
        if (name.equals("patchtsmixer_etth1")) {
            b.addAnchor(new Anchor("etth1", "mse", 0.3675,
                    "granite-tsfm patch_tsmixer_getting_started.ipynb, trained from scratch (official code here: "
                            + "0.3660 / 0.3678)"));
        }
        return b.build();
    }
}
