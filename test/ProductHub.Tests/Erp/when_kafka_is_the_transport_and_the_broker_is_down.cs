using System.Text.Json.Nodes;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProductHub.Tests.Support;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.Kafka;
using Wolverine.Runtime;
using Wolverine.Runtime.Serialization;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Erp;

/// <summary>
/// No broker can run here, so the hub is pointed at a closed port: deliveries for a kafka instance must be routed
/// to the instance's topic, keyed by part number, and wait in the durable outbox while the hub keeps serving.
/// </summary>
public sealed class when_kafka_is_the_transport_and_the_broker_is_down(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task deliveries_wait_in_the_outbox_for_the_instance_topic_keyed_by_part()
    {
        var connectionString = await OwnDatabase.CreateAsync();
        var host = await OwnDatabase.HubAsync(connectionString, ("ProductHub__Kafka__BootstrapServers", "127.0.0.1:9"));
        await using (host)
        {
            var api = new HubApi(host);
            (await api.Release(Release())).Status.ShouldBe(201);
            var instance = await api.Send("PUT", "/api/v1/erp-instances/erp-k", new { channel = "kafka", kafka = new { topic = "erp.p1" } });
            instance.Status.ShouldBe(201, instance.ToString());
            await api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-k" });
            await api.Assign("P1", "HOUSING");

            await Wait.Until(async () =>
                (await api.Get("/api/v1/deliveries?instance=erp-k&status=sent")).Items.Count == 3 ? "" : null,
                "three deliveries handed to the outbox");
            (await api.Part("HOUSING")).Status.ShouldBe(200);
            var health = await api.Get("/health/ready");
            health.Json["status"]!.GetValue<string>().ShouldBe("Degraded");
            health.Json["checks"]!["transports"]!["description"]!.GetValue<string>().ShouldContain("Kafka");
            health.Json["checks"]!["database"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
        }

        // The hub is gone; what it could not hand to the broker is still in the database.
        var envelopes = await OutgoingAsync(connectionString);
        envelopes.Select(e => e.TopicName).Distinct().ShouldBe(["erp.p1"]);
        envelopes.ShouldAllBe(e => e.Destination!.Scheme == "kafka");
        envelopes.Select(e => e.PartitionKey).ShouldBe(["BOLT", "CASTING", "HOUSING"], ignoreOrder: true);
        envelopes.ShouldAllBe(e => e.Headers.ContainsKey("Idempotency-Key") && e.Headers["plant"] == "P1");
    }

    [Fact]
    public async Task the_message_waiting_for_the_broker_carries_the_routing_and_manufacturers_in_the_instances_names()
    {
        var connectionString = await OwnDatabase.CreateAsync();
        var host = await OwnDatabase.HubAsync(connectionString, ("ProductHub__Kafka__BootstrapServers", "127.0.0.1:9"));
        await using (host)
        {
            var api = new HubApi(host);
            (await api.Release(when_a_release_with_routings_reaches_the_erp.Release())).Status.ShouldBe(201);
            (await api.Send("PUT", "/api/v1/erp-instances/erp-k", new
            {
                channel = "kafka", kafka = new { topic = "erp.p1" },
                mapping = new { version = "v1", fieldNames = new Dictionary<string, string> { ["workCenter"] = "ARBPL" }, unitCodes = new Dictionary<string, string> { ["bar"] = "BAR" } },
            })).Status.ShouldBe(201);
            await api.ConfigurePlant("P1", new
            {
                name = "Plant", erpInstance = "erp-k", rules = new { workCenters = new Dictionary<string, string> { ["WC-ASSY"] = "P1-ASSY-2" } },
            });
            await api.Assign("P1", "PUMP");
            await Wait.Until(async () =>
                (await api.Get("/api/v1/deliveries?instance=erp-k&status=sent")).Items.Count == 3 ? "" : null,
                "three deliveries handed to the outbox");
        }

        // What a consumer of the topic would read: the message body as it waits in the outbox.
        var pump = (await OutgoingAsync(connectionString)).Where(e => e.PartitionKey == "PUMP")
            .Select(e => JsonNode.Parse(e.Data!, new JsonNodeOptions { PropertyNameCaseInsensitive = true })!["payload"]!).Single();
        pump["item"]!["rohs"]!.GetValue<bool>().ShouldBeTrue();
        pump["approvedManufacturers"]!.AsArray().Select(m => m!["manufacturer"]!.GetValue<string>()).ShouldBe(["Pumpwerk"]);
        var operations = pump["routing"]!.AsArray().Select(o => o!).ToList();
        operations.Select(o => o["ARBPL"]!.GetValue<string>()).ShouldBe(["P1-ASSY-2", "WC-TEST"]);
        operations[0]["consumes"]!.AsArray().Select(f => f!.GetValue<int>()).ShouldBe([10, 20]);
        operations[1]["inspection"]![0]!["unit"]!.GetValue<string>().ShouldBe("BAR");
    }

    /// <summary>
    /// Several nodes consume the status topic as one consumer group: the broker shares its partitions out among them,
    /// and what a node took waits in its durable inbox, so a node that dies loses no status event it had taken.
    /// </summary>
    [Fact]
    public async Task every_node_takes_the_status_topic_in_the_configured_consumer_group_through_the_durable_inbox()
    {
        var connectionString = await OwnDatabase.CreateAsync();
        var host = await OwnDatabase.HubAsync(connectionString,
            ("ProductHub__Kafka__BootstrapServers", "127.0.0.1:9"), ("ProductHub__Kafka__ConsumerGroup", "producthub-europe"));
        await using (host)
        {
            var status = host.Services.GetRequiredService<IWolverineRuntime>().Options.Transports.AllEndpoints()
                .OfType<KafkaTopic>().Single(t => t.TopicName == ProductHub.Hub.Status.ReportStatusHandler.Topic);

            status.IsListener.ShouldBeTrue();
            status.Mode.ShouldBe(EndpointMode.Durable);
            var consumer = status.ConsumerConfig ?? status.Parent.ConsumerConfig;
            consumer.GroupId.ShouldBe("producthub-europe");
            consumer.PartitionAssignmentStrategy.ShouldBe(Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky);
            (await new HubApi(host).Get("/health/ready")).Json["checks"]!["transports"]!["description"]!.GetValue<string>().ShouldContain("Kafka");
        }
    }

    [Fact]
    public async Task a_hub_without_kafka_refuses_a_kafka_instance() =>
        (await Api.Send("PUT", "/api/v1/erp-instances/erp-k", new { channel = "kafka" })).ErrorFields.ShouldBe(["$.channel"]);

    private static async Task<List<Envelope>> OutgoingAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select body from producthub.wolverine_outgoing_envelopes", connection);
        var envelopes = new List<Envelope>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) envelopes.Add(EnvelopeSerializer.Deserialize((byte[])reader[0]));
        return envelopes;
    }
}
