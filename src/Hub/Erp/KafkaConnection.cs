using ProductHub.Hub.Erp.Delivering;
using Wolverine;
using Wolverine.Kafka;

namespace ProductHub.Hub.Erp;

/// <summary>
/// Kafka, the scale-out transport, chosen by configuration (<c>ProductHub:Kafka:BootstrapServers</c>): when set,
/// ERP instances on the kafka channel get one topic each, written through the durable outbox, so with the
/// broker down messages wait in the database rather than being lost.
/// </summary>
public sealed record KafkaConnection(string? BootstrapServers)
{
    public bool IsConfigured => !string.IsNullOrWhiteSpace(BootstrapServers);

    public void Apply(WolverineOptions opts)
    {
        if (!IsConfigured) return;
        opts.UseKafka(BootstrapServers!)
            .ConfigureProducers(producer => producer.EnableIdempotence = true);
        // Topics are per instance and known only at run time, so deliveries go by topic name through Wolverine's
        // topic-routed Kafka endpoint, made durable here: the outbox keeps them until the broker takes them.
        opts.PublishMessage<ErpDeliveryMessage>().ToKafkaTopics().UseDurableOutbox();
    }
}
