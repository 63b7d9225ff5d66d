using ProductHub.Hub.Erp.Delivering;
using Wolverine;
using Wolverine.Kafka;

namespace ProductHub.Hub.Erp;

/// <summary>
/// Kafka, the scale-out transport, chosen by configuration (<c>ProductHub:Kafka:BootstrapServers</c>): when set,
/// ERP instances on the kafka channel get one topic each, written through the durable outbox, so with the
/// broker down messages wait in the database rather than being lost.
/// Every node of one hub consumes in one consumer group (<c>ProductHub:Kafka:ConsumerGroup</c>), so the status
/// topic's partitions are shared out among the nodes and each status event is taken by one of them.
/// </summary>
public sealed record KafkaConnection(string? BootstrapServers, string ConsumerGroup = KafkaConnection.DefaultConsumerGroup)
{
    public const string DefaultConsumerGroup = "producthub";

    public static KafkaConnection From(IConfiguration configuration) => new(
        configuration["ProductHub:Kafka:BootstrapServers"], configuration["ProductHub:Kafka:ConsumerGroup"] ?? DefaultConsumerGroup);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BootstrapServers);

    public void Apply(WolverineOptions opts)
    {
        if (!IsConfigured) return;
        opts.UseKafka(BootstrapServers!)
            .ConfigureProducers(producer => producer.EnableIdempotence = true)
            .ConfigureConsumers(consumer => consumer.GroupId = ConsumerGroup)
            // A node joining or leaving moves only the partitions it gains or gives up; the others go on consuming.
            .UseCooperativeStickyAssignment();
        // Topics are per instance and known only at run time, so deliveries go by topic name through Wolverine's
        // topic-routed Kafka endpoint, made durable here: the outbox keeps them until the broker takes them.
        opts.PublishMessage<ErpDeliveryMessage>().ToKafkaTopics().UseDurableOutbox();
    }
}
