using Apportionment.Api.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Http;

namespace Apportionment.Api.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The test vector published with the Standard Webhooks reference libraries.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecPayload = "{\"test\": 2432232314}";

    [Fact]
    public void Signing_matches_the_specifications_test_vector() =>
        Assert.Equal(
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign(SpecSecret, SpecId, SpecTimestamp, SpecPayload));

    [Fact]
    public void During_a_rotation_both_secrets_sign_the_current_first_and_a_changed_body_fails()
    {
        var (current, previous) = (WebhookSignature.NewSecret(), WebhookSignature.NewSecret());
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = "{\"type\":\"period.closed\"}";
        var header = WebhookSignature.Header([current, previous], "evt-1", now, body);
        Assert.Equal(2, header.Split(' ').Length);

        var received = new ReceivedWebhook("/", "evt-1", body, Headers("evt-1", now, header));
        Assert.True(received.VerifiesWith(current));
        Assert.True(received.CarriesSignatureOf(previous));
        Assert.False(received.VerifiesWith(WebhookSignature.NewSecret()));
        Assert.False(received.CarriesSignatureOf(WebhookSignature.NewSecret()));
        Assert.False((received with { Body = "{\"type\":\"period.closed\",\"x\":1}" }).VerifiesWith(current));
    }

    [Fact]
    public void New_secrets_are_whsec_with_32_random_bytes()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Theory]
    [InlineData(1, 30.0)]
    [InlineData(2, 60.0)]
    [InlineData(5, 480.0)]
    [InlineData(9, 7200.0)]
    [InlineData(11, 7200.0)]
    public void The_retry_schedule_doubles_from_30_seconds_to_at_most_2_hours_within_20_percent(
        int failedAttempt,
        double seconds)
    {
        var options = new WebhookOptions();
        Assert.Equal(seconds * 0.8, RetrySchedule.DelayAfter(failedAttempt, options, 0)!.Value.TotalSeconds, 6);
        Assert.Equal(seconds * 1.2, RetrySchedule.DelayAfter(failedAttempt, options, 1)!.Value.TotalSeconds, 6);
        Assert.Null(RetrySchedule.DelayAfter(options.MaxAttempts, options, 0.5));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("81.2.69.160", false)]
    [InlineData("2a00:1450:4009:81f::200e", false)]
    public void Internal_addresses_are_recognised(string address, bool isInternal) =>
        Assert.Equal(isInternal, EndpointSafety.IsInternal(System.Net.IPAddress.Parse(address)));

    private static HeaderDictionary Headers(string id, long timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };
}
