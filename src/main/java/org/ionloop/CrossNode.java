package org.ionloop;

/**
 * A message that may travel between the orchestrator nodes of a cluster ({@code ionloop serve
 * --cluster}): serialised with Akka's Jackson CBOR serializer (the binding is in reference.conf).
 * Only records of plain values and actor references implement it; a message that holds a live
 * object (a repository, a future) must stay inside its node.
 */
public interface CrossNode {}
