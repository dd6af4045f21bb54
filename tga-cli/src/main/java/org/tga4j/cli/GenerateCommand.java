package org.tga4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tga4j.runtime.Generation;
import org.tga4j.runtime.Lvlm;
import org.tga4j.runtime.Request;
import org.tga4j.runtime.generate.SamplingParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a reply to a prompt (optionally about an image).")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true) Path model;
    @Option(names = "--image", description = "Image file; an <image> placeholder is prepended when the prompt has none.")
    Path image;
    @Option(names = "--prompt", required = true) String prompt;
    @Option(names = "--retrieved", description = "TGA retrieved text placed before the image.") String retrieved;
    @Option(names = "--template", description = "Chat template (plain, llava_v1, vicuna_v1, llava_llama_2,"
            + " mistral_instruct, chatml, none); default: detected from the checkpoint.")
    String template;
    @Mixin PrecisionOption precision = new PrecisionOption();
    @Option(names = "--max-new-tokens", defaultValue = "64") int maxNewTokens;
    @Option(names = "--greedy", description = "Greedy decoding (the default unless --temperature is given).") boolean greedy;
    @Option(names = "--temperature", defaultValue = "0") float temperature;
    @Option(names = "--top-k", defaultValue = "0") int topK;
    @Option(names = "--top-p", defaultValue = "1") float topP;
    @Option(names = "--seed", defaultValue = "0") long seed;
    @Option(names = "--json", description = "Print one JSON object with ids, text and timings.") boolean json;

    @Override
    public Integer call() throws Exception {
        try (Lvlm lvlm = Lvlm.load(model, template, precision.precision)) {
            SamplingParams params = greedy || temperature == 0
                    ? lvlm.greedy(maxNewTokens) : lvlm.sampling(maxNewTokens, temperature, topK, topP, seed);
            Request request = new Request(prompt, image == null ? List.of() : List.of(image), retrieved, null);
            if (json) {
                Generation g = lvlm.generate(request, params);
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.putPOJO("prompt_token_ids", g.promptTokenIds());
                o.putPOJO("token_ids", g.tokenIds());
                o.put("text", g.text());
                o.put("stop_reason", g.stopReason());
                o.put("prefill_ms", g.prefillMillis());
                o.put("decode_tokens_per_s", g.decodeTokensPerSecond());
                System.out.println(o.toString());
            } else {
                lvlm.generate(request, params, piece -> {
                    System.out.print(piece);
                    System.out.flush();
                });
                System.out.println();
            }
        }
        return 0;
    }
}
