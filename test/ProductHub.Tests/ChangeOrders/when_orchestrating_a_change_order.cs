using System.Text.Json.Nodes;
using Marten;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Hub.Security;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.ChangeOrders;

/// <summary>Pattern 2: an approved change order runs its policy's stages across ERP, MES, supplier portal and QMS.</summary>
public sealed class when_orchestrating_a_change_order(HubFixture fixture) : TestErpScenario(fixture)
{
    private readonly List<TestErp> _systems = [];
    private TestErp Mes => _systems[0];
    private TestErp Portal => _systems[1];
    private TestErp Qms => _systems[2];

    private async Task Landscape(double qmsBackoff = 0.1, HubApi? on = null, int mesAttempts = 2, double mesBackoff = 0.1)
    {
        var api = on ?? Api;
        var retry = new { maxAttempts = 2, backoffSeconds = new[] { 0.1 } };
        for (var i = 0; i < 3; i++) _systems.Add(await TestErp.StartAsync());
        (await api.Release(Release())).Status.ShouldBe(201);
        await System(api, "erp-p1", Erp);
        await System(api, "mes-1", Mes);
        await System(api, "portal-1", Portal);
        await System(api, "qms-1", Qms);
        await api.ConfigurePlant("P1", new { name = "Plant", erpInstance = "erp-p1" });
        await api.Settled(a => a.Assign("P1", "PUMP"));

        var policy = await api.Send("PUT", "/api/v1/change-order-policies/standard", new
        {
            stages = new object[]
            {
                new { name = "erp", steps = new[] { new { name = "erp-bom", target = "plant-erps", action = "update-bom", timeoutSeconds = 5,
                    retry, compensation = new { action = "revert-bom" } } } },
                new { name = "downstream", steps = new object[]
                {
                    new { name = "mes-routing", target = "mes-1", action = "update-routing", timeoutSeconds = 5,
                        retry = new { maxAttempts = mesAttempts, backoffSeconds = new[] { mesBackoff } }, compensation = new { action = "revert-routing" } },
                    new { name = "supplier-notice", target = "portal-1", action = "notify-suppliers", timeoutSeconds = 5, retry, blocking = false },
                } },
                new { name = "quality", steps = new[] { new { name = "qms-plan", target = "qms-1", action = "update-inspection-plan", timeoutSeconds = 5,
                    retry = new { maxAttempts = 2, backoffSeconds = new[] { qmsBackoff } } } } },
            },
        });
        policy.Status.ShouldBe(200, policy.ToString());
    }

    private static Task System(HubApi api, string name, TestErp system) =>
        api.Send("PUT", $"/api/v1/erp-instances/{name}", new { channel = "http", http = new { url = system.Url, timeoutSeconds = 5 } });

    private Task<Answer> Start(string number = "ECO-1001", HubApi? on = null) => (on ?? Api).Post("/api/v1/change-orders", new
    {
        number, type = "standard", reason = "Stronger impeller", requestedEffectivity = "2026-06-01",
        affected = new[] { new { partNumber = "PUMP", revision = "A" } }, approval = new { approvedBy = "plm-approver" },
    });

    private async Task<JsonNode> Until(string state, string number = "ECO-1001", HubApi? on = null)
    {
        var api = on ?? Api;
        try
        {
            return await Wait.Until(async () =>
            {
                var view = (await api.Get($"/api/v1/change-orders/{number}")).Json;
                return view["state"]!.GetValue<string>() == state ? view : null;
            }, $"{number} to be {state}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {(await api.Get($"/api/v1/change-orders/{number}")).Json["timeline"]!.ToJsonString()}");
        }
    }

    private static List<string> Actions(TestErp system) =>
        system.Accepted.Where(r => r.Body["changeOrder"] is not null).Select(r => r.Body["action"]!.GetValue<string>()).ToList();

    private static int At(JsonNode view, string step, string what) =>
        view["timeline"]!.AsArray().Select((e, i) => (e, i))
            .First(x => x.e!["step"]?.GetValue<string>() == step && x.e["what"]!.GetValue<string>() == what).i;

    [Fact]
    public async Task every_stage_runs_in_order_and_the_change_order_completes()
    {
        await Landscape();

        (await Start()).Status.ShouldBe(201);

        var done = await Until("completed");
        done["steps"]!.AsArray().Select(s => s!["plan"]!["name"]!.GetValue<string>())
            .ShouldBe(["erp-bom-p1", "mes-routing", "supplier-notice", "qms-plan"]);
        Actions(Erp).ShouldBe(["update-bom"]);
        Actions(Mes).ShouldBe(["update-routing"]);
        Actions(Portal).ShouldBe(["notify-suppliers"]);
        Actions(Qms).ShouldBe(["update-inspection-plan"]);
        At(done, "erp-bom-p1", "acknowledged").ShouldBeLessThan(At(done, "mes-routing", "sent"));
        At(done, "mes-routing", "acknowledged").ShouldBeLessThan(At(done, "qms-plan", "sent"));
        At(done, "supplier-notice", "acknowledged").ShouldBeLessThan(At(done, "qms-plan", "sent"));
        Erp.Accepted.Single(r => r.Body["changeOrder"] is not null).Body["affected"]![0]!["partNumber"]!.GetValue<string>().ShouldBe("PUMP");
    }

    [Fact]
    public async Task a_slow_system_does_not_hold_up_the_other_steps_of_its_stage()
    {
        await Landscape();
        Mes.SlowNext = 1;
        Mes.SlowBy = TimeSpan.FromSeconds(2);

        await Start();

        var done = await Until("completed");
        At(done, "supplier-notice", "acknowledged").ShouldBeLessThan(At(done, "mes-routing", "acknowledged"));
        At(done, "mes-routing", "acknowledged").ShouldBeLessThan(At(done, "qms-plan", "sent"));
    }

    [Fact]
    public async Task a_failing_blocking_step_compensates_what_was_applied_in_reverse_order()
    {
        await Landscape();
        Qms.AlwaysFail = true;

        await Start();

        var compensated = await Until("compensated");
        compensated["stateReason"]!.GetValue<string>().ShouldStartWith("qms-plan failed");
        compensated["steps"]!.AsArray().Single(s => s!["plan"]!["name"]!.GetValue<string>() == "qms-plan")!["forward"]!["attempts"]!
            .GetValue<int>().ShouldBe(2);
        Actions(Mes).ShouldBe(["update-routing", "revert-routing"]);
        Actions(Erp).ShouldBe(["update-bom", "revert-bom"]);
        Actions(Portal).ShouldBe(["notify-suppliers"]);
        At(compensated, "mes-routing", "compensation acknowledged").ShouldBeLessThan(At(compensated, "erp-bom-p1", "compensation sent"));
    }

    [Fact]
    public async Task a_failed_compensation_needs_attention_until_it_is_retried_by_hand()
    {
        await Landscape(qmsBackoff: 1.5);
        Qms.AlwaysFail = true;
        await Start();
        await Wait.Until(async () => (await Api.Get("/api/v1/change-orders/ECO-1001")).Json["steps"]!.AsArray()
            .Any(s => s!["plan"]!["name"]!.GetValue<string>() == "qms-plan" && s["forward"]!["attempts"]!.GetValue<int>() >= 1) ? "" : null,
            "the quality step to be tried");
        Mes.AlwaysFail = true;

        var stuck = await Until("needsAttention");
        stuck["stateReason"]!.GetValue<string>().ShouldStartWith("compensation of mes-routing failed");
        (await Api.Get("/api/v1/change-orders?state=needsAttention")).Items.Single()!["failedSteps"]!.AsArray()
            .Select(s => s!.GetValue<string>()).ShouldBe(["mes-routing", "qms-plan"], ignoreOrder: true);
        (await Api.Get("/api/v1/ops/summary")).Json["failedChangeOrderSteps"]!.AsArray()
            .Select(s => (s!["changeOrder"]!.GetValue<string>(), s["step"]!.GetValue<string>(), s["compensation"]!.GetValue<bool>()))
            .ShouldBe([("ECO-1001", "mes-routing", true), ("ECO-1001", "qms-plan", false)], ignoreOrder: true);
        (await Scrape.Metric(Host, "producthub_change_order_steps_total", "outcome=\"failed\"", "side=\"compensation\"")).ShouldBeGreaterThan(0);
        Mes.AlwaysFail = false;
        var retried = await Api.Post("/api/v1/change-orders/ECO-1001/steps/mes-routing/retry", new { });

        retried.Status.ShouldBe(200, retried.ToString());
        await Until("compensated");
        Actions(Erp).ShouldBe(["update-bom", "revert-bom"]);
    }

    [Fact]
    public async Task a_failed_optional_step_of_a_compensated_change_order_is_not_retried()
    {
        await Landscape();
        Portal.AlwaysFail = true;
        Qms.AlwaysFail = true;
        await Start();
        var compensated = await Until("compensated");
        compensated["steps"]!.AsArray().Single(s => s!["plan"]!["name"]!.GetValue<string>() == "supplier-notice")!["forward"]!["status"]!
            .GetValue<string>().ShouldBe("failed");
        Portal.AlwaysFail = false;
        var notices = Portal.Requests.Count;

        var optional = await Api.Post("/api/v1/change-orders/ECO-1001/steps/supplier-notice/retry", new { });
        var blocking = await Api.Post("/api/v1/change-orders/ECO-1001/steps/qms-plan/retry", new { });

        optional.Status.ShouldBe(409, optional.ToString());
        optional.Json["detail"]!.GetValue<string>().ShouldBe(
            "Step supplier-notice of ECO-1001 failed, but ECO-1001 is compensated: nothing of it is sent forward any more.");
        blocking.Status.ShouldBe(409, blocking.ToString());
        blocking.Json["detail"]!.GetValue<string>().ShouldContain("is blocking");
        var after = (await Api.Get("/api/v1/change-orders/ECO-1001")).Json;
        after["state"]!.GetValue<string>().ShouldBe("compensated");
        after["timeline"]!.AsArray().Count.ShouldBe(compensated["timeline"]!.AsArray().Count);
        Portal.Requests.Count.ShouldBe(notices);
    }

    /// <summary>ECO-1001 with its first step sent to an ERP that has not acknowledged it yet: a change order to cancel.</summary>
    private async Task InProgressWaitingForTheErp()
    {
        await Landscape();
        Erp.Acknowledges = false;
        await Start();
        await Until("inProgress");
    }

    [Fact]
    public async Task a_change_order_is_cancelled_with_a_reason_that_is_recorded_on_the_event()
    {
        await InProgressWaitingForTheErp();

        var badBody = await Api.Post("/api/v1/change-orders/ECO-1001/cancel", new { reason = " ", by = "someone" });
        var cancelled = await Api.Post("/api/v1/change-orders/ECO-1001/cancel", new { reason = "The supplier withdrew the impeller" });
        var again = await Api.Post("/api/v1/change-orders/ECO-1001/cancel", new { reason = "Twice" });

        badBody.Status.ShouldBe(400, badBody.ToString());
        badBody.ErrorFields.ShouldBe(["$.by", "$.reason"], ignoreOrder: true);
        cancelled.Status.ShouldBe(200, cancelled.ToString());
        again.Status.ShouldBe(409, again.ToString());
        again.Json["detail"]!.GetValue<string>().ShouldStartWith("Change order ECO-1001 is compensat");
        await using var session = Host.DocumentStore().QuerySession();
        var started = (await session.Events.FetchStreamAsync("change-order/ECO-1001"))
            .Select(e => e.Data).OfType<ChangeOrderCompensationStarted>().ShouldHaveSingleItem();
        started.Reason.ShouldBe("cancelled: The supplier withdrew the impeller");
        (await Until("compensated"))["stateReason"]!.GetValue<string>().ShouldBe("cancelled: The supplier withdrew the impeller");
    }

    [Fact]
    public async Task a_change_order_is_cancelled_without_a_body_as_before()
    {
        await InProgressWaitingForTheErp();

        var cancelled = await Api.Post("/api/v1/change-orders/ECO-1001/cancel");

        cancelled.Status.ShouldBe(200, cancelled.ToString());
        (await Until("compensated"))["stateReason"]!.GetValue<string>().ShouldBe("cancelled");
    }

    [Fact]
    public async Task a_new_hub_on_the_same_database_carries_on_without_sending_an_acknowledged_step_again()
    {
        var connectionString = await OwnDatabase.CreateAsync();
        await using (var first = await OwnDatabase.HubAsync(connectionString))
        {
            var api = new HubApi(first);
            await Landscape(on: api, mesAttempts: 10, mesBackoff: 2);
            Mes.AlwaysFail = true;
            (await Start(on: api)).Status.ShouldBe(201);
            await Wait.Until(async () => (await api.Get("/api/v1/change-orders/ECO-1001")).Json["timeline"]!.AsArray()
                .Any(e => e!["step"]?.GetValue<string>() == "mes-routing" && e["what"]!.GetValue<string>() == "retrying") ? "" : null,
                "the MES step to wait for a retry");
        }

        Mes.AlwaysFail = false;
        await using var second = await OwnDatabase.HubAsync(connectionString);
        await Until("completed", on: new HubApi(second));

        Actions(Erp).ShouldBe(["update-bom"]);
        Actions(Mes).ShouldBe(["update-routing"]);
        Actions(Qms).ShouldBe(["update-inspection-plan"]);
    }

    [Fact]
    public async Task a_plants_erp_acknowledges_the_step_sent_to_it_and_no_other()
    {
        await Landscape();
        Erp.Acknowledges = false;
        (await Start()).Status.ShouldBe(201);
        await Wait.Until(async () => (await Api.Get("/api/v1/change-orders/ECO-1001")).Json["steps"]!.AsArray().FirstOrDefault(s =>
                s!["plan"]!["name"]!.GetValue<string>() == "erp-bom-p1" && s["forward"]!["status"]!.GetValue<string>() == "sent"),
            "the ERP step to wait for its callback");
        const string url = "/api/v1/change-orders/ECO-1001/steps/erp-bom-p1/ack";

        var other = await Api.As(TestTokens.For("erp-p2", [Roles.Erp], "P2")).Post(url, new { reference = "SAP-1" });
        var own = await Api.As(TestTokens.For("erp-p1", [Roles.Erp], "P1")).Post(url, new { reference = "SAP-2" });

        other.Status.ShouldBe(403, other.ToString());
        own.Status.ShouldBe(200, own.ToString());
        var details = own.Json["timeline"]!.AsArray().Select(e => e!["detail"]?.GetValue<string>()).ToList();
        details.ShouldContain("SAP-2");
        details.ShouldNotContain("SAP-1");
    }

    [Fact]
    public async Task a_system_on_the_file_channel_gets_the_step_as_a_file_and_acknowledges_by_callback()
    {
        await Landscape();
        var folder = Path.Combine(Path.GetTempPath(), "producthub-mes-" + Guid.NewGuid().ToString("N"));
        await Api.Send("PUT", "/api/v1/erp-instances/mes-file", new
        {
            channel = "file", file = new { dropFolder = folder, ackFolder = folder + "-ack", format = "xml" },
        });
        await Api.Send("PUT", "/api/v1/change-order-policies/mes-only", new
        {
            stages = new[] { new { name = "mes", steps = new[] { new { name = "mes-routing", target = "mes-file", action = "update-routing", timeoutSeconds = 30 } } } },
        });
        try
        {
            (await Api.Post("/api/v1/change-orders", new
            {
                number = "ECO-2", type = "mes-only", reason = "r", requestedEffectivity = "2026-06-01",
                affected = new[] { new { partNumber = "PUMP", revision = "A" } }, approval = new { approvedBy = "x" },
            })).Status.ShouldBe(201);
            var file = await Wait.Until(() => Task.FromResult(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").FirstOrDefault() : null),
                "the step's file");
            JsonNode.Parse(await File.ReadAllTextAsync(file))!["action"]!.GetValue<string>().ShouldBe("update-routing");

            // The MES is no plant's ERP: an ERP's token may not acknowledge for it.
            (await Api.As(TestTokens.For("erp-p1", [Roles.Erp], "P1")).Post("/api/v1/change-orders/ECO-2/steps/mes-routing/ack", new { reference = "MES-1" }))
                .Status.ShouldBe(403);
            (await Api.Post("/api/v1/change-orders/ECO-2/steps/mes-routing/ack", new { reference = "MES-77" })).Status.ShouldBe(200);

            (await Until("completed", "ECO-2"))["timeline"]!.AsArray()
                .ShouldContain(e => e!["what"]!.GetValue<string>() == "acknowledged" && e["detail"]!.GetValue<string>() == "MES-77");
        }
        finally
        {
            foreach (var dir in new[] { folder, folder + "-ack" }.Where(Directory.Exists)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task bad_policies_and_change_orders_are_refused_with_the_field_named()
    {
        await Landscape();

        var badPolicy = await Api.Send("PUT", "/api/v1/change-order-policies/standard", new { stages = new[] { new { name = "x", steps = Array.Empty<object>() } } });
        var twice = await Api.Send("PUT", "/api/v1/change-order-policies/other", new
        {
            stages = new[] { new { name = "x", steps = new[] { new { name = "a", target = "mes-1", action = "x" }, new { name = "a", target = "qms-1", action = "y" } } } },
        });
        var unknownType = await Api.Post("/api/v1/change-orders", new
        {
            number = "ECO-9", type = "nope", reason = "r", requestedEffectivity = "2026-06-01",
            affected = new[] { new { partNumber = "PUMP", revision = "A" } }, approval = new { approvedBy = "x" },
        });
        var unknownPart = await Api.Post("/api/v1/change-orders", new
        {
            number = "ECO-10", type = "standard", reason = "r", requestedEffectivity = "2026-06-01",
            affected = new[] { new { partNumber = "NOPE", revision = "A" } },
        });

        badPolicy.ErrorFields.ShouldBe(["$.stages[0].steps"]);
        twice.ErrorFields.ShouldBe(["$.stages[0].steps[1].name"]);
        unknownType.Status.ShouldBe(422);
        unknownType.ErrorFields.ShouldBe(["$.type"]);
        unknownPart.ErrorFields.ShouldBe(["$.affected[0].partNumber"]);
        (await Api.Get("/api/v1/change-orders/ECO-9")).Status.ShouldBe(404);
        (await Api.Get("/api/v1/change-order-policies/other")).Status.ShouldBe(404);
    }

    public override async Task DisposeAsync()
    {
        foreach (var system in _systems) await system.DisposeAsync();
    }
}
