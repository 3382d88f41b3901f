namespace Apportionment.Api.Infrastructure.Persistence;

public sealed class ApportionmentDb(DbContextOptions<ApportionmentDb> options) : DbContext(options)
{
    public DbSet<Council> Councils => Set<Council>();
    public DbSet<SharedService> SharedServices => Set<SharedService>();
    public DbSet<ServiceMember> ServiceMembers => Set<ServiceMember>();
    public DbSet<SplitAgreement> SplitAgreements => Set<SplitAgreement>();
    public DbSet<AgreementApproval> AgreementApprovals => Set<AgreementApproval>();
    public DbSet<ActivityReturn> ActivityReturns => Set<ActivityReturn>();
    public DbSet<CostPosting> CostPostings => Set<CostPosting>();
    public DbSet<CostTotal> CostTotals => Set<CostTotal>();
    public DbSet<CouncilBaseline> Baselines => Set<CouncilBaseline>();
    public DbSet<ClosedMonth> ClosedMonths => Set<ClosedMonth>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<BudgetVersion> Budgets => Set<BudgetVersion>();
    public DbSet<BudgetTarget> BudgetTargets => Set<BudgetTarget>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookEvent> WebhookEvents => Set<WebhookEvent>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Indicator> Indicators => Set<Indicator>();
    public DbSet<IndicatorValue> IndicatorValues => Set<IndicatorValue>();
    public DbSet<PartnershipGovernance> Governance => Set<PartnershipGovernance>();
    public DbSet<LedgerCodeVersion> LedgerCodes => Set<LedgerCodeVersion>();
    public DbSet<BillingTerms> BillingTerms => Set<BillingTerms>();
    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<InvoicePayment> InvoicePayments => Set<InvoicePayment>();
    public DbSet<YearEndIssue> YearEndIssues => Set<YearEndIssue>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money: GBP to the penny. Wider precisions are set per column where a figure is not money.
        configurationBuilder.Properties<decimal>().HavePrecision(14, 2);
        configurationBuilder.Properties<string>().HaveMaxLength(200);
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<Council>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(16);
        });

        b.Entity<SharedService>(e =>
        {
            e.HasKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(16);
            e.Property(x => x.HostCouncil).HasMaxLength(16);
            e.Property(x => x.Description).HasMaxLength(2000);
            e.HasOne<Council>().WithMany().HasForeignKey(x => x.HostCouncil).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.ServiceCode);
        });

        b.Entity<ServiceMember>(e =>
        {
            e.HasKey(x => new { x.ServiceCode, x.Council });
            e.HasIndex(x => x.Council);
            e.HasOne<Council>().WithMany().HasForeignKey(x => x.Council).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<SplitAgreement>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ServiceCode, x.EffectiveFrom });
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Method).HasMaxLength(16);
            e.Property(x => x.Status).HasMaxLength(16);
            e.Property(x => x.Version).IsRowVersion();
            e.OwnsMany(x => x.Shares, s =>
            {
                s.WithOwner().HasForeignKey(x => x.AgreementId);
                s.HasKey(x => new { x.AgreementId, x.Council });
                s.Property(x => x.Percent).HasPrecision(7, 4);
            });
            e.HasMany(x => x.Approvals).WithOne().HasForeignKey(x => x.AgreementId);

            // Overheads: a support agreement recharges the service's cost to the services it supports.
            e.Property(x => x.SupportPercents).HasColumnType("jsonb");
            e.Ignore(x => x.IsSupport);
            e.Ignore(x => x.Approvers);
        });

        b.Entity<AgreementApproval>(e => e.HasKey(x => new { x.AgreementId, x.Council }));

        b.Entity<ActivityReturn>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ServiceCode, x.Driver, x.Month, x.Id });
            e.Property(x => x.Quantities).HasColumnType("jsonb");
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<CostPosting>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ServiceCode, x.Month });
            // A posting can be reversed once: the database, not a read-then-write check, says so.
            e.HasIndex(x => x.ReversalOf).IsUnique();
            e.HasIndex(x => x.BatchId).HasFilter("batch_id is not null");
            e.Property(x => x.Description).HasMaxLength(1000);
            e.HasOne<SharedService>().WithMany().HasForeignKey(x => x.ServiceCode).OnDelete(DeleteBehavior.Restrict);
        });

        b.Entity<CostTotal>(e =>
        {
            e.HasKey(x => new { x.ServiceCode, x.Month, x.PaidBy });
            e.HasIndex(x => new { x.PaidBy, x.Month });
            // MoneyLimits: a posting is under £1,000,000,000,000 (Rules.Money), and PostgreSQL's 32 TB table limit
            // holds fewer than 10^12 postings, so no sum of postings reaches 10^24: 26 integer digits never overflow.
            e.Property(x => x.Amount).HasPrecision(28, 2);
        });

        b.Entity<CouncilBaseline>(e => e.HasKey(x => new { x.ServiceCode, x.Council }));

        b.Entity<ClosedMonth>(e => e.HasKey(x => new { x.ServiceCode, x.Month }));

        b.Entity<ApiKey>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.SecretHash).IsUnique();
        });

        b.Entity<AuditEvent>(e =>
        {
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.Entity, x.At });
            e.HasIndex(x => new { x.Council, x.At });
            e.Property(x => x.Body).HasColumnType("jsonb");
            e.Property(x => x.EntityId).HasMaxLength(100);
            e.Property(x => x.PersonName).HasMaxLength(200);
        });

        b.Entity<IdempotencyRecord>(e =>
        {
            // The unique key is what makes racing retries produce one posting.
            e.HasKey(x => new { x.ClientId, x.Key });
            e.Property(x => x.Response).HasColumnType("jsonb");
            e.HasIndex(x => x.CreatedAt);
        });

        BudgetModel.Configure(b);
        b.AddWebhooks();
        PartnershipModel.Configure(b);
        LedgerCodeModel.Configure(b);
        b.AddBilling();
    }
}
