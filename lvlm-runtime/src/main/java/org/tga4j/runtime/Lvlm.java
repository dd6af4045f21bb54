package org.tga4j.runtime;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tga4j.runtime.config.ClipConfig;
import org.tga4j.runtime.config.LlavaConfig;
import org.tga4j.runtime.config.ModelConfig;
import org.tga4j.runtime.config.TextConfig;
import org.tga4j.runtime.generate.FirstStepListener;
import org.tga4j.runtime.generate.GenerationResult;
import org.tga4j.runtime.generate.Generator;
import org.tga4j.runtime.generate.SamplingParams;
import org.tga4j.runtime.image.ClipImageProcessor;
import org.tga4j.runtime.image.ImageProcessorConfig;
import org.tga4j.runtime.lora.LoraAdapter;
import org.tga4j.runtime.lora.PeftLoraConfig;
import org.tga4j.runtime.model.CheckpointParameterSource;
import org.tga4j.runtime.model.DecoderOutput;
import org.tga4j.runtime.model.LlavaModel;
import org.tga4j.runtime.model.ParameterSource;
import org.tga4j.runtime.model.Parameters;
import org.tga4j.runtime.model.TensorNames;
import org.tga4j.runtime.model.WeightPrecision;
import org.tga4j.runtime.text.ChatMessage;
import org.tga4j.runtime.text.ChatTemplate;
import org.tga4j.runtime.text.ChatTemplates;
import org.tga4j.runtime.text.EncodedPrompt;
import org.tga4j.runtime.text.IncrementalDecoder;
import org.tga4j.runtime.text.PromptOptions;
import org.tga4j.runtime.text.TextTokenizer;
import org.tga4j.runtime.weights.Checkpoint;

/**
 * A loaded LLaVA-style (or text-only LLaMA / Mistral / Qwen2) model with its tokenizer, chat template and image
 * processor — the runtime's entry point for applications.
 *
 * <pre>{@code
 * try (Lvlm lvlm = Lvlm.load(Path.of("my-llava"))) {
 *     Generation g = lvlm.generate(Request.withImage("What is in the picture?", Path.of("cat.jpg")),
 *             lvlm.greedy(64));
 *     System.out.println(g.text());
 * }
 * }</pre>
 *
 * One instance is safe to share between threads: the weights are read-only and every call computes in its own
 * NDManager.
 */
public final class Lvlm implements AutoCloseable {
    private final Path directory;
    private final Record config;
    private final NDManager weights;
    private final LlavaModel model;
    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final ClipImageProcessor imageProcessor;
    private final Generator generator;

    private Lvlm(Path directory, Record config, NDManager weights, LlavaModel model, TextTokenizer tokenizer,
            ChatTemplate template, ClipImageProcessor imageProcessor) {
        this.directory = directory;
        this.config = config;
        this.weights = weights;
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = template;
        this.imageProcessor = imageProcessor;
        this.generator = new Generator(model, tokenizer.padId());
    }

    /**
     * Loads a checkpoint directory with the chat template it declares (or the one its model type implies). A PEFT
     * LoRA adapter directory ({@code adapter_config.json} naming its base in {@code base_model_name_or_path}) is
     * loaded as that base with the adapter merged in.
     */
    public static Lvlm load(Path dir) {
        return load(dir, (String) null);
    }

    /**
     * Loads a checkpoint directory: {@code config.json}, {@code model.safetensors} (or a sharded index),
     * {@code tokenizer.json} (+ {@code tokenizer_config.json}, {@code generation_config.json}) and, for llava,
     * {@code preprocessor_config.json} when present. A directory holding only a PEFT LoRA adapter loads its base with
     * the adapter merged (see {@link #load(Path, Path, String)}).
     *
     * @param templateName a template from {@link ChatTemplates#names()}, or null to detect it
     */
    public static Lvlm load(Path dir, String templateName) {
        return load(dir, templateName, WeightPrecision.FLOAT32);
    }

    /**
     * As {@link #load(Path, String)}, with the language model's projection matrices held in {@code precision}
     * ({@link WeightPrecision#FLOAT16}: half the memory and faster single-request decoding on CPU, inference only).
     */
    public static Lvlm load(Path dir, String templateName, WeightPrecision precision) {
        if (PeftLoraConfig.isAdapterDir(dir) && !Files.exists(dir.resolve(ModelConfig.FILE))) {
            try (LoraAdapter adapter = LoraAdapter.open(dir)) {
                return load(adapter.basePath(), adapter, templateName, precision);
            }
        }
        return load(dir, (LoraAdapter) null, templateName, precision);
    }

    /** Loads base checkpoint {@code base} with the PEFT LoRA adapter in {@code adapterDir} merged into its weights. */
    public static Lvlm load(Path base, Path adapterDir) {
        return load(base, adapterDir, null);
    }

    /**
     * Loads base checkpoint {@code base} with the PEFT LoRA adapter in {@code adapterDir} merged into its weights
     * ({@code W + (lora_alpha / r) B A} for every adapted projection, {@code modules_to_save} tensors replaced), so
     * inference costs what the base model costs. Tokenizer, template and image processor come from the base.
     *
     * @throws IllegalArgumentException when the adapter does not fit the base (a tensor it changes is missing or
     *     mis-shaped, or the model never uses it)
     */
    public static Lvlm load(Path base, Path adapterDir, String templateName) {
        try (LoraAdapter adapter = LoraAdapter.open(adapterDir)) {
            return load(base, adapter, templateName, WeightPrecision.FLOAT32);
        }
    }

    private static Lvlm load(Path dir, LoraAdapter adapter, String templateName, WeightPrecision precision) {
        Record config = ModelConfig.load(dir);
        if (config instanceof ClipConfig) {
            throw new IllegalArgumentException(dir + ": a CLIP dual encoder (model_type clip), not a generative model;"
                    + " load it with ClipEncoder");
        }
        NDManager weights = NDManager.newBaseManager();
        try {
            LlavaModel model;
            try (Checkpoint checkpoint = Checkpoint.open(dir)) {
                ParameterSource source = new CheckpointParameterSource(checkpoint, weights);
                LoraAdapter.MergedSource merged = adapter == null ? null : adapter.mergedOver(source, weights);
                Parameters params = new Parameters(merged == null ? source : merged, precision);
                model = config instanceof LlavaConfig llava
                        ? new LlavaModel(params, llava, TensorNames.detectLlava(params.source()))
                        : new LlavaModel(params, (TextConfig) config);
                if (merged != null) merged.requireAllApplied();
            }
            // Requests compute in their own managers; anything landing here would be a leak, so refuse it.
            ((BaseNDManager) weights).cap();
            TextTokenizer tokenizer = TextTokenizer.load(dir);
            String modelType = config instanceof TextConfig t ? t.modelType() : ((LlavaConfig) config).textConfig().modelType();
            ChatTemplate template = templateName == null
                    ? ChatTemplates.detect(dir, modelType) : ChatTemplates.byName(templateName);
            ClipImageProcessor images = model.hasVision() ? imageProcessor(dir, (LlavaConfig) config) : null;
            return new Lvlm(dir, config, weights, model, tokenizer, template, images);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    private static ClipImageProcessor imageProcessor(Path dir, LlavaConfig c) {
        Path file = dir.resolve("preprocessor_config.json");
        ImageProcessorConfig pc = Files.exists(file)
                ? ImageProcessorConfig.load(file) : ImageProcessorConfig.clip(c.visionConfig().imageSize());
        return new ClipImageProcessor(pc.withPadToSquare("pad".equals(c.imageAspectRatio())));
    }

    public Path directory() {
        return directory;
    }

    /** The parsed {@code config.json}: a {@link LlavaConfig} or a {@link TextConfig}. */
    public Record config() {
        return config;
    }

    public LlavaModel model() {
        return model;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    public ChatTemplate template() {
        return template;
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping at the tokenizer's stop tokens. */
    public SamplingParams greedy(int maxNewTokens) {
        return SamplingParams.greedy(maxNewTokens, tokenizer.stopIds());
    }

    /** Sampling with a seed, stopping at the tokenizer's stop tokens. */
    public SamplingParams sampling(int maxNewTokens, float temperature, int topK, float topP, long seed) {
        return new SamplingParams(maxNewTokens, temperature, topK, topP, seed, tokenizer.stopIds());
    }

    /** The request rendered through the chat template: token ids (image tokens expanded) and named spans. */
    public EncodedPrompt encode(Request request) {
        String text = request.prompt();
        int placeholders = ChatTemplates.countImagePlaceholders(text);
        int images = request.images().size();
        if (images > 0 && placeholders == 0) {
            text = ChatTemplates.ensureImageToken(text);
            placeholders = 1;
        }
        if (placeholders != images) {
            throw new IllegalArgumentException("the prompt has " + placeholders + " <image> placeholder(s) but "
                    + images + " image(s) were given");
        }
        if (images > 0 && !model.hasVision()) {
            throw new IllegalArgumentException(directory + " is a text-only model; it cannot take images");
        }
        PromptOptions options = model.hasVision()
                ? PromptOptions.withImage(model.llavaConfig().imageTokenIndex(), model.llavaConfig().imageTokensPerImage())
                : PromptOptions.textOnly();
        options = options.withRetrievedText(request.retrievedText()).withSystemPrompt(request.systemPrompt())
                .withGenerationPrompt(true);
        return template.encode(List.of(ChatMessage.user(text)), options, tokenizer);
    }

    /** Normalised pixels {@code [N, 3, S, S]} for image files, in the given manager. */
    public NDArray pixels(NDManager m, List<Path> images) {
        if (imageProcessor == null) throw new IllegalStateException(directory + " is a text-only model");
        return imageProcessor.preprocessBatch(images, m);
    }

    /** Generates for one request. */
    public Generation generate(Request request, SamplingParams params) {
        return generateBatch(List.of(request), params, null, null).get(0);
    }

    /** Generates for one request, streaming decoded text pieces to {@code onText} as tokens arrive. */
    public Generation generate(Request request, SamplingParams params, Consumer<String> onText) {
        IncrementalDecoder decoder = tokenizer.incrementalDecoder(true);
        Generation g = generateBatch(List.of(request), params, (row, token) -> {
            String piece = decoder.push(token);
            if (!piece.isEmpty()) onText.accept(piece);
        }, null).get(0);
        String rest = decoder.flush();
        if (!rest.isEmpty()) onText.accept(rest);
        return g;
    }

    /** Generates for a batch of requests together (prompts left-padded, one KV cache). */
    public List<Generation> generate(List<Request> requests, SamplingParams params) {
        return generateBatch(requests, params, null, null);
    }

    /**
     * As {@link #generate(List, SamplingParams)}, and hands {@code firstStep} each row's next-token probabilities at
     * the first answer position, from the same prompt pass (no extra cost beyond a softmax).
     */
    public List<Generation> generate(List<Request> requests, SamplingParams params, FirstStepListener firstStep) {
        return generateBatch(requests, params, null, firstStep);
    }

    private List<Generation> generateBatch(List<Request> requests, SamplingParams params,
            org.tga4j.runtime.generate.TokenListener listener, FirstStepListener firstStep) {
        try (NDManager m = NDManager.newBaseManager()) {
            long t0 = System.nanoTime();
            List<int[]> prompts = new ArrayList<>();
            List<Path> images = new ArrayList<>();
            for (Request r : requests) {
                prompts.add(encode(r).ids());
                images.addAll(r.images());
            }
            NDArray imageEmbeds = images.isEmpty() ? null : model.imageEmbeddings(pixels(m, images));
            double imageMillis = (System.nanoTime() - t0) / 1e6;
            List<GenerationResult> results = generator.generate(m, prompts, imageEmbeds, params, listener,
                    firstStep == null ? null : prefill -> {
                        NDArray last = prefill.logits().get(":, -1, :").toType(DataType.FLOAT32, false).softmax(-1);
                        for (int row = 0; row < requests.size(); row++) firstStep.onFirstStep(row, last.get(row).toFloatArray());
                    }, false);
            List<Generation> out = new ArrayList<>();
            for (GenerationResult r : results) {
                out.add(new Generation(tokenizer.decode(r.tokens()), r.promptTokens(), r.tokens(), r.stopReason(),
                        imageMillis + r.prefillMillis(), r.decodeTokensPerSecond()));
            }
            return out;
        }
    }

    /**
     * One prompt pass in the caller's manager with logits for every position and, if {@code wantHidden}, every
     * hidden state — what the layer probe, the trainer and {@code tga hidden} use.
     */
    public Forward forward(NDManager m, Request request, boolean wantHidden) {
        EncodedPrompt prompt = encode(request);
        NDArray features = request.images().isEmpty() ? null : model.visionFeatures(pixels(m, request.images()));
        return forward(m, prompt, features, features == null ? null : model.projector().forward(features), wantHidden);
    }

    /**
     * {@link #forward(NDManager, Request, boolean)} with {@code imageEmbeds} ({@code [images, tokens per image,
     * hidden]}) in the image slots instead of the projected images: what the LLM does with other inputs where the
     * images go (the layer probe's image slot oracle).
     */
    public Forward forward(NDManager m, Request request, NDArray imageEmbeds, boolean wantHidden) {
        return forward(m, encode(request), null, imageEmbeds, wantHidden);
    }

    private Forward forward(NDManager m, EncodedPrompt prompt, NDArray features, NDArray imageEmbeds,
            boolean wantHidden) {
        boolean[][] valid = new boolean[1][prompt.ids().length];
        Arrays.fill(valid[0], true);
        DecoderOutput out = model.forward(m, new int[][] {prompt.ids()}, valid, imageEmbeds, null,
                DecoderOutput.Logits.ALL, wantHidden);
        return new Forward(prompt, features, imageEmbeds, out);
    }

    /** The model's parameters by checkpoint name (read-only; for saving and inspection). */
    public Map<String, NDArray> parameters() {
        return model.parameters().all();
    }

    /**
     * Saves this model (its current weights, config and tokenizer / preprocessor files) as an HF checkpoint directory,
     * atomically, in the tensor-name scheme it was loaded with.
     */
    public void save(Path out) {
        // The model loads only what inference needs (the vision tower up to vision_feature_layer); the tensors it
        // never loaded are carried over from the source checkpoint, so the saved model is as complete as the original.
        try (NDManager m = NDManager.newBaseManager(); Checkpoint source = Checkpoint.open(directory)) {
            Map<String, NDArray> tensors = new LinkedHashMap<>(parameters());
            for (String name : source.names()) {
                if (!tensors.containsKey(name)) tensors.put(name, source.load(name, m));
            }
            ModelWriter.save(out, config, tensors, directory, Map.of(), ModelWriter.DEFAULT_MAX_SHARD_BYTES);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
        weights.close();
    }
}
