/** What the broker counts; shown under `broker` in GET /api/stats. */
export function createBrokerMetrics() {
  const m = {
    connectionsAccepted: 0,
    connectionsRefused: {} as Record<string, number>,
    publishesIn: 0,
    bytesIn: 0,
    publishesRefused: {} as Record<string, number>,
    subscriptionsRefused: 0,
    disconnectedForLimit: {} as Record<string, number>,
    /** Times a message was held without acknowledgement because the store could not take it, to be stored again. */
    publishesHeld: 0,
    /** QoS 0 messages not sent to a subscriber whose outgoing backlog was at its bound. */
    outgoingDropped: 0,
  };
  const bump = (rec: Record<string, number>, key: string) => {
    rec[key] = (rec[key] ?? 0) + 1;
  };
  return {
    accepted: () => void m.connectionsAccepted++,
    refused: (reason: string) => bump(m.connectionsRefused, reason),
    published: (bytes: number) => {
      m.publishesIn++;
      m.bytesIn += bytes;
    },
    publishRefused: (reason: string) => bump(m.publishesRefused, reason),
    subscriptionRefused: () => void m.subscriptionsRefused++,
    limit: (name: string) => bump(m.disconnectedForLimit, name),
    held: () => void m.publishesHeld++,
    outgoingDropped: () => void m.outgoingDropped++,
    snapshot: () => structuredClone(m),
  };
}

export type BrokerMetrics = ReturnType<typeof createBrokerMetrics>;
