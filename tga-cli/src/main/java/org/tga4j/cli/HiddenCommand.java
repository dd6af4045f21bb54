package org.tga4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.tga4j.runtime.Forward;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.Request;
import org.tga4j.runtime.text.Span;
import org.tga4j.runtime.weights.SafeTensorsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "hidden", mixinStandardHelpOptions = true,
        description = "Write every hidden state of one prompt pass to a safetensors file.")
public final class HiddenCommand implements Callable<Integer> {
    @Option(names = "--model", required = true) Path model;
    @Option(names = "--image") Path image;
    @Option(names = "--prompt", required = true) String prompt;
    @Option(names = "--retrieved") String retrieved;
    @Option(names = "--template") String template;
    @Option(names = "--out", required = true, description = "Output .safetensors file.") Path out;
    @Mixin PrecisionOption precision = new PrecisionOption();

    @Override
    public Integer call() {
        try (Lvlm lvlm = Lvlm.load(model, template, precision.precision); NDManager m = NDManager.newBaseManager()) {
            Request request = new Request(prompt, image == null ? List.of() : List.of(image), retrieved, null);
            Forward f = lvlm.forward(m, request, true);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            if (f.visionFeatures() != null) {
                tensors.put("vision.features", f.visionFeatures());
                tensors.put("projector.out", f.imageEmbeddings());
            }
            List<NDArray> hidden = f.output().hiddenStates();
            for (int l = 0; l < hidden.size(); l++) tensors.put("llm.hidden." + l, hidden.get(l));
            tensors.put("llm.logits", f.output().logits());
            tensors.put("prompt.token_ids", m.create(f.prompt().ids()));
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("model", model.toAbsolutePath().toString());
            meta.put("prompt", prompt);
            meta.put("weight_precision", precision.precision.label());
            meta.put("hidden_convention", "0=embeddings, l=output of layer l, last=after final norm");
            StringBuilder spans = new StringBuilder();
            for (Span s : f.prompt().layout().spans()) {
                spans.append(s.kind()).append(':').append(s.start()).append('-').append(s.end()).append(' ');
            }
            meta.put("spans", spans.toString().trim());
            SafeTensorsWriter.write(out, tensors, meta);
            System.out.printf("wrote %d tensors (%d hidden states, %d tokens) to %s%n", tensors.size(), hidden.size(),
                    f.prompt().ids().length, out);
        }
        return 0;
    }
}
