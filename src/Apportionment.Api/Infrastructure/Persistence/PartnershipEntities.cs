using Microsoft.EntityFrameworkCore;

namespace Apportionment.Api.Infrastructure.Persistence;

/// <summary>A performance indicator the partners agreed to measure the shared service by.</summary>
public sealed class Indicator
{
    public required string ServiceCode { get; init; }
    public required string Key { get; init; }
    public required string Name { get; set; }
    public required string Unit { get; set; }
    /// <summary>"higher-is-better" or "lower-is-better".</summary>
    public required string Polarity { get; set; }
    /// <summary>"monthly" or "quarterly": the periods its values are given for.</summary>
    public required string Frequency { get; set; }
    /// <summary>Target per financial year, keyed "2025-26".</summary>
    public required Dictionary<string, decimal> Targets { get; set; }
    /// <summary>The figure before the partnership, if known.</summary>
    public decimal? Baseline { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One value of an indicator for a month or quarter: the service's (Council "") or one council's.</summary>
public sealed class IndicatorValue
{
    public required string ServiceCode { get; init; }
    public required string Key { get; init; }
    public required string Period { get; init; }
    public required string Council { get; init; }
    public decimal Value { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid? RecordedByKey { get; set; }
}

/// <summary>The governance facts of a partnership, as its committee reviews them.</summary>
public sealed class PartnershipGovernance
{
    public required string ServiceCode { get; init; }
    public required string LegalBasis { get; set; }
    public DateOnly AgreementStart { get; set; }
    public DateOnly? AgreementEnd { get; set; }
    public int ExitNoticeMonths { get; set; }
    public DateOnly? NextReview { get; set; }
    /// <summary>The business case's annual saving, against the baseline year's cost.</summary>
    public decimal? SavingsTarget { get; set; }
    /// <summary>The financial year the business case measured from, e.g. "2008-09".</summary>
    public string? BaselineYear { get; set; }
    /// <summary>The review date partnership.review-due was last sent for, so it is sent once per review.</summary>
    public DateOnly? ReviewDueNotifiedFor { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Kept apart from ApportionmentDb's own block so other features' tables merge cleanly beside it.</summary>
public static class PartnershipModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<Indicator>(e =>
        {
            e.HasKey(x => new { x.ServiceCode, x.Key });
            e.Property(x => x.ServiceCode).HasMaxLength(16);
            e.Property(x => x.Key).HasMaxLength(64);
            e.Property(x => x.Polarity).HasMaxLength(16);
            e.Property(x => x.Frequency).HasMaxLength(16);
            e.Property(x => x.Unit).HasMaxLength(32);
            e.Property(x => x.Targets).HasColumnType("jsonb");
            e.Property(x => x.Baseline).HasPrecision(18, 4);
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<IndicatorValue>(e =>
        {
            e.HasKey(x => new { x.ServiceCode, x.Key, x.Period, x.Council });
            e.Property(x => x.ServiceCode).HasMaxLength(16);
            e.Property(x => x.Key).HasMaxLength(64);
            e.Property(x => x.Period).HasMaxLength(16);
            e.Property(x => x.Council).HasMaxLength(16);
            e.Property(x => x.Value).HasPrecision(18, 4);
            e.Property(x => x.Note).HasMaxLength(1000);
            e.HasOne<Indicator>().WithMany().HasForeignKey(x => new { x.ServiceCode, x.Key })
                .OnDelete(DeleteBehavior.Cascade);
        });

        b.Entity<PartnershipGovernance>(e =>
        {
            e.HasKey(x => x.ServiceCode);
            e.Property(x => x.ServiceCode).HasMaxLength(16);
            e.Property(x => x.LegalBasis).HasMaxLength(1000);
            e.Property(x => x.BaselineYear).HasMaxLength(7);
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
