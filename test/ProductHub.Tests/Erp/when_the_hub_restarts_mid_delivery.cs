using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Erp;

/// <summary>Deliveries live in the database, not in the process: a new hub on the same data finishes them, each once.</summary>
public sealed class when_the_hub_restarts_mid_delivery(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task a_new_hub_on_the_same_database_delivers_every_publication_exactly_once()
    {
        await using var erp = await TestErp.StartAsync();
        erp.AlwaysFail = true;
        var connectionString = await OwnDatabase.CreateAsync();

        var first = await OwnDatabase.HubAsync(connectionString);
        await using (first)
        {
            var api = new HubApi(first);
            await api.Release(Release());
            await api.Send("PUT", "/api/v1/erp-instances/erp-r", new
            {
                channel = "http", http = new { url = erp.Url, timeoutSeconds = 5 },
                retry = new { maxAttempts = 10, backoffSeconds = new[] { 2 } },
            });
            await api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-r" });
            await api.Assign("P1", "HOUSING");
            await Wait.Until(async () =>
                (await api.Get("/api/v1/deliveries?instance=erp-r&status=failed")).Items.Count == 3 ? "" : null,
                "every delivery to fail once");
        }

        // The ERP comes back while no hub runs; the retries scheduled by the first hub are in the database.
        erp.AlwaysFail = false;
        await using var second = await OwnDatabase.HubAsync(connectionString);
        var again = new HubApi(second);
        await Wait.Until(async () =>
            (await again.Get("/api/v1/deliveries?instance=erp-r&status=acknowledged")).Items.Count == 3 ? "" : null,
            "the second hub to finish every delivery", seconds: 60);

        erp.Applied.Count.ShouldBe(3);
        erp.Applied.Values.ShouldAllBe(times => times == 1);
    }
}
