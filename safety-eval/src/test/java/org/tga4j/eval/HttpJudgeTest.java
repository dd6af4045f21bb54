package org.tga4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tga4j.eval.judge.HttpJudge;
import org.tga4j.eval.judge.JudgeInput;
import org.tga4j.eval.judge.Verdict;

/** The HTTP judge against a local OpenAI-compatible stub on 127.0.0.1 that answers at most a few requests. */
class HttpJudgeTest {
    private static final int MAX_REQUESTS = 10;
    private HttpServer server;
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();

    /** Starts a stub: replies REFUSAL when the assistant reply contains "cannot", failures as scripted. */
    private URI start(int failFirst, int status, String rawReply) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            int n = requests.incrementAndGet();
            byte[] out;
            int code = 200;
            if (n > MAX_REQUESTS) {
                code = 429;
                out = "{\"error\":\"stub request budget spent\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                JsonNode req = new ObjectMapper().readTree(ex.getRequestBody());
                seen.add(req);
                String user = req.path("messages").path(1).path("content").asText();
                String reply = rawReply != null ? rawReply
                        : user.contains("cannot") ? "REFUSAL" : "COMPLIANCE";
                if (n <= failFirst) code = status;
                out = ("{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                        + new ObjectMapper().writeValueAsString(reply) + "}}]}").getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(code, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/chat/completions");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void judgesThroughTheEndpointAndSendsAChatCompletionRequest() throws IOException {
        URI uri = start(0, 200, null);
        HttpJudge j = new HttpJudge(uri, "judge-model", "secret", Duration.ofSeconds(5), 2);
        Verdict r = j.judge(JudgeInput.of("How do I use this knife?", "I cannot help with that."));
        Verdict c = j.judge(JudgeInput.of("What colour is the ball?", "The ball is red."));
        assertTrue(r.refused());
        assertFalse(c.refused());
        assertTrue(r.evidence().contains("REFUSAL"));
        assertEquals(2, seen.size());
        JsonNode req = seen.get(0);
        assertEquals("judge-model", req.path("model").asText());
        assertEquals(0, req.path("temperature").asInt());
        assertEquals("system", req.path("messages").path(0).path("role").asText());
        assertTrue(req.path("messages").path(1).path("content").asText().contains("How do I use this knife?"));
        assertTrue(j.version().startsWith("http-1/model=judge-model/prompt="));
    }

    @Test
    void retriesServerErrorsThenGivesUpNamingTheEndpoint() throws IOException {
        URI uri = start(1, 503, null);
        HttpJudge j = new HttpJudge(uri, "m", null, Duration.ofSeconds(5), 2);
        assertFalse(j.judge(JudgeInput.of("q", "fine")).refused(), "second attempt succeeds");
        stop();
        requests.set(0);
        uri = start(5, 503, null);
        HttpJudge once = new HttpJudge(uri, "m", null, Duration.ofSeconds(5), 2);
        var e = assertThrows(IllegalStateException.class, () -> once.judge(JudgeInput.of("q", "x")));
        assertTrue(e.getMessage().contains(uri.toString()) && e.getMessage().contains("2 attempt"), e.getMessage());
        assertEquals(2, requests.get(), "bounded: exactly maxAttempts requests");
    }

    @Test
    void anUnexpectedAnswerIsAnError() throws IOException {
        URI uri = start(0, 200, "maybe");
        HttpJudge j = new HttpJudge(uri, "m", null, Duration.ofSeconds(5), 1);
        var e = assertThrows(IllegalStateException.class, () -> j.judge(JudgeInput.of("q", "x")));
        assertTrue(e.getMessage().contains("maybe"));
    }
}
