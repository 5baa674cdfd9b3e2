package org.ionloop.cli;

import org.ionloop.store.Database;

/** The short campaign on the default store, an H2 file. */
class ShortCampaignIT extends ShortCampaignChecks {
  @Override
  String storeUrl() {
    return Database.h2FileUrl(dir.resolve("db/ionloop"));
  }
}
