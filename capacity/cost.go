package capacity

// cost prices the month: CDN egress, the blob store and indexes, the lake
// and the cores of every tier running all month.
func (p planner) cost() []Line {
	pr := p.l.Prices
	egress := p.egressMonth()
	storage := p.blobs() + p.indexes()
	lake := p.lakeRetained()
	cores := p.cores()
	coreCount := cores[len(cores)-1].Value
	egressCost := egress / 1e9 * pr.EgressGB
	storageCost := storage / 1e9 * pr.StorageGBMon
	lakeCost := lake / 1e9 * pr.LakeGBMon
	coreCost := coreCount * pr.HoursPerMonth * pr.CoreHour
	total := egressCost + storageCost + lakeCost + coreCost
	share := func(v float64) string { return trim(100*v/total) + " %" }
	return []Line{
		line("CDN egress", "$", egressCost, dollars(egressCost)+" ("+share(egressCost)+")", "%s × $%s per GB", bytesOf(egress), trim(pr.EgressGB)),
		line("blob store and indexes", "$", storageCost, dollars(storageCost)+" ("+share(storageCost)+")", "%s × $%s per GB-month", bytesOf(storage), trim(pr.StorageGBMon)),
		line("lake", "$", lakeCost, dollars(lakeCost)+" ("+share(lakeCost)+")", "%s × $%s per GB-month", bytesOf(lake), trim(pr.LakeGBMon)),
		line("compute", "$", coreCost, dollars(coreCost)+" ("+share(coreCost)+")", "%s cores × %s h × $%s per core-hour", Count(coreCount), trim(pr.HoursPerMonth), trim(pr.CoreHour)),
		line("total per month", "$", total, dollars(total), "sum of the above"),
	}
}
