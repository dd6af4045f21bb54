package org.tga4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.tga4j.retrieval.CaptionIndex;
import org.tga4j.retrieval.Hit;
import org.tga4j.retrieval.ReciprocalRankFusion;
import org.tga4j.retrieval.RetrievalQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tga retrieve}: top-k captions for a query text, or for an image (image→text kNN with a CLIP). */
@Command(name = "retrieve", mixinStandardHelpOptions = true,
        description = "Retrieve the top-k captions for a query text (--query), or for an image (--image, with the CLIP "
                + "checkpoint the index's vectors were built with: --clip DIR).")
public final class RetrieveCommand implements Callable<Integer> {

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "index directory")
    Path index;

    @Option(names = "--query", paramLabel = "TEXT", description = "query text (any characters; never parsed as query syntax)")
    String query;

    @Option(names = "--image", paramLabel = "FILE",
            description = "query image: image→text kNN over the index's vectors through the CLIP image tower (needs --clip)")
    Path image;

    @Option(names = "--clip", paramLabel = "DIR", description = "the CLIP dual-encoder checkpoint the index's vectors come from")
    Path clip;

    @Option(names = "-k", defaultValue = "10", description = "number of hits (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--retriever", description = "bm25, dense or hybrid (default: dense for an --image query, else bm25)")
    String retriever;

    @Option(names = "--embedder", description = "embedder for dense/hybrid (default: clip with --clip, else the one recorded in the index)")
    String embedder;

    @Option(names = "--rrf-k", defaultValue = "" + ReciprocalRankFusion.DEFAULT_K, description = "RRF constant (default ${DEFAULT-VALUE})")
    int rrfK;

    @Option(names = "--exclude-id", paramLabel = "ID", description = "never return this caption id")
    String excludeId;

    @Option(names = "--json", description = "print hits as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (k < 1) throw new IllegalArgumentException("-k must be >= 1, got " + k);
        if (query == null && image == null) throw new IllegalArgumentException("give a query: --query TEXT or --image FILE");
        if (image != null && !Files.isRegularFile(image)) throw new IllegalArgumentException("--image " + image + ": no such file");
        String kind = retriever != null ? retriever : image != null ? "dense" : "bm25";
        try (CaptionIndex idx = CaptionIndex.open(index);
                RetrievalOptions.OpenEmbedder e = RetrievalOptions.forQuerying(idx, embedder, clip)) {
            if (image != null) {
                if (kind.equals("bm25")) throw new IllegalArgumentException("--image needs --retriever dense or hybrid (bm25 ranks text only)");
                if (e.embedder() == null) throw new IllegalArgumentException("--image " + RetrievalOptions.missingEmbedder(idx));
                if (!e.embedder().supportsImages()) {
                    throw new IllegalArgumentException("--image needs an embedder with an image tower (a CLIP: --clip DIR); "
                            + e.embedder().name() + " embeds text only");
                }
            }
            List<Hit> hits = RetrievalOptions.retriever(idx, kind, e.embedder(), rrfK)
                    .retrieve(new RetrievalQuery(query, image, excludeId), k);
            if (json) {
                ObjectMapper m = new ObjectMapper();
                ArrayNode arr = m.createArrayNode();
                int rank = 1;
                for (Hit h : hits) {
                    ObjectNode o = arr.addObject();
                    o.put("rank", rank++);
                    o.put("id", h.id());
                    o.put("score", h.score());
                    o.put("retriever", h.retriever());
                    o.put("text", h.text());
                }
                System.out.println(m.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
            } else {
                if (hits.isEmpty()) System.out.println("(no hits)");
                int rank = 1;
                for (Hit h : hits) {
                    System.out.printf("%3d  %10.4f  %-6s  %-16s  %s%n", rank++, h.score(), h.retriever(), h.id(), h.text());
                }
            }
        }
        return 0;
    }
}
