using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ProductHub.Hub.Demo;
using ProductHub.Tests.Support;
using Wolverine;
using Wolverine.Postgresql.Transport;
using Wolverine.Runtime;
using Wolverine.Tracking;

namespace ProductHub.Tests.Hosting;

public sealed class when_the_hub_starts(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task the_demo_loads_through_the_api_and_shows_two_plants_that_differ()
    {
        var erpFolder = Path.Combine(Path.GetTempPath(), "producthub-demo-erp-" + Guid.NewGuid().ToString("N"));
        try
        {
            await DemoLoads(erpFolder);
        }
        finally
        {
            if (Directory.Exists(erpFolder)) Directory.Delete(erpFolder, recursive: true);
        }
    }

    private async Task DemoLoads(string erpFolder)
    {
        var client = Host.Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Default);
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync(
            (Func<IMessageContext, Task>)(_ => DemoData.LoadAsync(client, erpFolder, NullLogger.Instance)));

        var summer = await Api.Bom("PN-1000", "depth=all&effective=2026-07-01");
        var autumn = await Api.Bom("PN-1000", "depth=all&effective=2026-10-01");
        summer.Json["revision"]!.GetValue<string>().ShouldBe("B");
        Parts(summer).ShouldContain("PN-1200");
        Parts(autumn).ShouldContain("PN-1201");
        Parts(autumn).ShouldNotContain("PN-1200");
        var sealant = autumn.Json["lines"]!.AsArray().Single(l => l!["partNumber"]!.GetValue<string>() == "PN-1420")!;
        sealant["extendedQuantity"]!.GetValue<decimal>().ShouldBe(0.05m);
        sealant["extendedUnit"]!.GetValue<string>().ShouldBe("KG");

        var stuttgart = Parts(await Api.Mbom("P100", "PN-1000", "effective=2026-10-01")).ToList();
        var monterrey = Parts(await Api.Mbom("P200", "PN-1000", "effective=2026-10-01")).ToList();
        stuttgart.ShouldBe(["PN-1100", "PN-1201", "PN-1300", "PN-9001", "PN-1410", "PN-1420"]);
        monterrey.ShouldBe(["PN-1100", "PN-1201", "PN-1300", "PN-9002", "PN-1410"]);
        (await Api.Published("P100", "PN-1300")).Json["item"]!["referenceData"]!["standardCost"]!.GetValue<decimal>().ShouldBe(412m);
        // The pump's routing, at Stuttgart's own work centers, with what one pump takes there.
        var routing = await Api.Get("/api/v1/plants/P100/parts/PN-1000/routing?effective=2026-10-01&quantity=1");
        routing.Json["operations"]!.AsArray().Select(o => o!["workCenter"]!.GetValue<string>()).ShouldBe(["P100-ASSY-2", "P100-ASSY-2", "P100-QA-1"]);
        routing.Json["totalMinutes"]!.GetValue<decimal>().ShouldBe(20m + 35m + 8m + 10m + 15m);
        // Assembly follows work instruction WI-1000 rev B from rev B of the pump on; its hash is that of the file in the repository.
        routing.Json["operations"]![0]!["documents"]![0]!["revision"]!.GetValue<string>().ShouldBe("B");
        var instruction = await Api.Get("/api/v1/documents/WI-1000/B");
        instruction.Json["whereUsed"]!.AsArray().Select(u => u!["partNumber"]!.GetValue<string>()).ShouldBe(["PN-1000"]);
        instruction.Json["sha256"]!.GetValue<string>().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            File.ReadAllBytes(Path.Combine(Repository.Root, "src", "Hub", "Demo", "documents", "WI-1000-B.md")))));
        (await Api.Exceptions("plant=P100&status=open")).Items.ShouldBeEmpty();
        // Monterrey buys the housing, which has no approved manufacturer: it and the pump built from it wait.
        (await Api.Exceptions("plant=P200&status=open")).Items
            .Select(e => e!["partNumber"]!.GetValue<string>()).ShouldBe(["PN-1100", "PN-1000"], ignoreOrder: true);
        (await Api.PlantParts("P200")).Items.Select(p => p!["partNumber"]!.GetValue<string>())
            .ShouldBe(["PN-1200", "PN-1201", "PN-1300", "PN-1410", "PN-9002"]);
        // Stuttgart's ERP takes files: one per delivery sent (a version overtaken before it left is superseded).
        var sent = (await Api.Get("/api/v1/deliveries?instance=erp-p100&status=sent")).Items;
        sent.Select(d => d!["partNumber"]!.GetValue<string>()).Distinct().Count().ShouldBe(
            (await Api.PlantParts("P100")).Items.Count);
        Directory.GetFiles(Path.Combine(erpFolder, "p100", "out"), "*.csv").Length.ShouldBe(sent.Count);
        // So does Monterrey's, in a folder of its own: every plant of the demo has an ERP to deliver to.
        var toP200 = (await Api.Get("/api/v1/deliveries?instance=erp-p200&status=sent")).Items;
        toP200.Select(d => d!["partNumber"]!.GetValue<string>()).Distinct().Count().ShouldBe((await Api.PlantParts("P200")).Items.Count);
        Directory.GetFiles(Path.Combine(erpFolder, "p200", "out"), "*.csv").Length.ShouldBe(toP200.Count);
        (await Api.Get("/api/v1/ops/summary")).Json["plantsWithoutErpInstance"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public void messaging_runs_on_the_postgresql_transport_with_a_durable_inbox_and_outbox()
    {
        var runtime = Host.Services.GetRequiredService<IWolverineRuntime>();

        runtime.Options.Transports.OfType<PostgresqlTransport>().ShouldHaveSingleItem();
        runtime.Storage.ShouldNotBeOfType<Wolverine.Persistence.Durability.NullMessageStore>();
    }

    [Fact]
    public async Task it_reports_itself_live_and_ready()
    {
        (await Api.Get("/health/live")).Status.ShouldBe(200);
        var ready = await Api.Get("/health/ready");
        ready.Status.ShouldBe(200);
        ready.Json["status"]!.GetValue<string>().ShouldBe("Healthy", ready.Text);
        ready.Json["checks"]!["database"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
    }

    private static IEnumerable<string> Parts(Answer bom) =>
        bom.Json["lines"]!.AsArray().Select(l => l!["partNumber"]!.GetValue<string>());
}
