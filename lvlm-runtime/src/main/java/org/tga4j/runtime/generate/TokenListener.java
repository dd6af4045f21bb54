package org.tga4j.runtime.generate;

/** Streaming callback: called once per generated token, in order, for each row of a batch. */
@FunctionalInterface
public interface TokenListener {
    void onToken(int row, int tokenId);
}
