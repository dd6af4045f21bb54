package org.tga4j.projector;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.tga4j.runtime.lora.LoraAdapter;
import org.tga4j.runtime.lora.PeftLoraConfig;
import org.tga4j.runtime.model.LinearHook;
import org.tga4j.runtime.model.LinearHooks;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.Ops;

/**
 * Trainable LoRA adapters on a loaded model's decoder projections: for each targeted weight {@code W [out, in]} a pair
 * {@code A [r, in]}, {@code B [out, r]} whose term {@code scale * B A dropout(x)} is added to the projection's output
 * through a {@link LinearHook} on {@code W} (the base weights themselves stay frozen and untouched). Tensors are named as
 * PEFT names them ({@code base_model.model.X.lora_A.weight}), which is also how they appear in the optimiser state and
 * the saved adapter. {@link #close()} detaches the hooks.
 */
public final class LoraAdapters implements AutoCloseable {
    /** One adapted projection. */
    public record Entry(String weightName, NDArray weight, NDArray a, NDArray b) {}

    private final LoraSettings settings;
    private final List<Entry> entries;
    private final Map<String, NDArray> tensors;
    private boolean training = true;
    private long dropoutStream;
    private long dropoutCalls;

    private LoraAdapters(LoraSettings settings, List<Entry> entries) {
        this.settings = settings;
        this.entries = List.copyOf(entries);
        Map<String, NDArray> t = new LinkedHashMap<>();
        for (Entry e : entries) {
            t.put(LoraAdapter.loraAName(e.weightName()), e.a());
            t.put(LoraAdapter.loraBName(e.weightName()), e.b());
        }
        this.tensors = Collections.unmodifiableMap(t);
    }

    /**
     * Creates the adapters for every decoder-layer projection of {@code model} that a target names, in
     * {@code weights} (the model's long-lived manager), and attaches them.
     *
     * @throws IllegalArgumentException naming a target that matches no projection (and the ones that exist)
     */
    public static LoraAdapters attach(LlavaModel model, NDManager weights, LoraSettings settings) {
        String layers = model.tensorNames().decoder() + "layers.";
        List<Entry> entries = new ArrayList<>();
        TreeSet<String> known = new TreeSet<>();
        Map<String, Integer> hits = new LinkedHashMap<>();
        settings.targets().forEach(t -> hits.put(t, 0));
        for (Map.Entry<String, NDArray> p : model.parameters().all().entrySet()) {
            String name = p.getKey();
            NDArray w = p.getValue();
            if (!name.startsWith(layers) || !name.endsWith(".weight") || w.getShape().dimension() != 2) continue;
            String module = name.substring(0, name.length() - ".weight".length());
            known.add(module.substring(module.lastIndexOf('.') + 1));
            String target = settings.targets().stream()
                    .filter(t -> module.equals(t) || module.endsWith("." + t)).findFirst().orElse(null);
            if (target == null) continue;
            hits.merge(target, 1, Integer::sum);
            entries.add(create(name, w, weights, settings));
        }
        hits.forEach((t, n) -> {
            if (n == 0) {
                throw new IllegalArgumentException("LoRA target '" + t + "' matches no projection of the decoder"
                        + " (its projections: " + String.join(", ", known) + ")");
            }
        });
        LoraAdapters adapters = new LoraAdapters(settings, entries);
        adapters.hookAll();
        return adapters;
    }

    private static Entry create(String name, NDArray w, NDManager weights, LoraSettings s) {
        long out = w.getShape().get(0), in = w.getShape().get(1);
        int n = Math.toIntExact(s.rank() * in);
        float[] a = new float[n];
        // PEFT: kaiming_uniform_(A, a=sqrt(5)) -> U(-1/sqrt(in), 1/sqrt(in)); B = 0.
        double bound = 1 / Math.sqrt(in);
        SplittableRandom r = new SplittableRandom(s.seed() * 0x9E3779B97F4A7C15L ^ name.hashCode());
        for (int i = 0; i < n; i++) a[i] = (float) ((r.nextDouble() * 2 - 1) * bound);
        DataType dtype = w.getDataType();
        // Both in memory the engine owns (a copy): an array made from a Java array keeps its values in a Java buffer.
        NDArray aT = weights.zeros(new Shape(s.rank(), in), dtype);
        try (NDArray host = weights.create(a, new Shape(s.rank(), in)); NDArray cast = host.toType(dtype, true)) {
            TrainingModel.assign(aT, cast);
        }
        NDArray bT = weights.zeros(new Shape(out, s.rank()), dtype);
        for (NDArray t : new NDArray[] {aT, bT}) {
            t.setRequiresGradient(true);
            TrainingModel.zeroGradient(t);
        }
        return new Entry(name, w, aT, bT);
    }

    private void hookAll() {
        double scale = settings.scale();
        for (Entry e : entries) {
            NDArray a = e.a(), b = e.b();
            String name = e.weightName();
            LinearHook hook = (x, y) -> {
                NDArray in = training && settings.dropout() > 0 ? dropout(x, name) : x;
                NDArray delta = Ops.linear(Ops.linear(in, a, null), b, null);
                return y.add(delta.mul(Ops.constant(delta, scale)));
            };
            LinearHooks.attach(e.weight(), hook);
        }
    }

    /** Inverted dropout with a mask that depends only on the seed, the micro-batch, the call and the weight. */
    private NDArray dropout(NDArray x, String name) {
        double p = settings.dropout();
        int n = Math.toIntExact(x.getShape().size());
        float keep = (float) (1 / (1 - p));
        SplittableRandom r = new SplittableRandom(
                (settings.seed() * 31 + dropoutStream) * 0x9E3779B97F4A7C15L ^ (dropoutCalls++ * 1_000_003L) ^ name.hashCode());
        float[] mask = new float[n];
        for (int i = 0; i < n; i++) mask[i] = r.nextDouble() < p ? 0f : keep;
        NDArray m = x.getManager().create(mask, x.getShape()).toType(x.getDataType(), false);
        return x.mul(m);
    }

    /** Positions the dropout random stream at micro-batch {@code index} (so a resumed run draws the same masks). */
    public void startMicroBatch(long index) {
        dropoutStream = index;
        dropoutCalls = 0;
    }

    /** Switches dropout on (training, the default) or off. */
    public void setTraining(boolean on) {
        training = on;
    }

    public LoraSettings settings() {
        return settings;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The adapter tensors by PEFT name ({@code base_model.model.X.lora_A.weight}, ...), A before B, layer order. */
    public Map<String, NDArray> tensors() {
        return tensors;
    }

    /** {@code W + scale * B A} for every adapted weight, by base tensor name, in {@code m}. */
    public Map<String, NDArray> merged(NDManager m) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Entry e : entries) {
            try (NDScope scope = new NDScope()) {
                NDArray delta = e.b().stopGradient().matMul(e.a().stopGradient()).mul((float) settings.scale());
                NDArray merged = e.weight().stopGradient().add(delta);
                NDScope.unregister(merged);
                merged.attach(m);
                out.put(e.weightName(), merged);
            }
        }
        return out;
    }

    /** The PEFT {@code adapter_config.json} of these adapters over {@code base}. */
    public PeftLoraConfig peftConfig(Path base, List<String> modulesToSave) {
        return PeftLoraConfig.of(settings.rank(), settings.alpha(), settings.dropout(), settings.targets(),
                base.toAbsolutePath().normalize().toString(), modulesToSave);
    }

    @Override
    public void close() {
        entries.forEach(e -> LinearHooks.detach(e.weight()));
    }
}
