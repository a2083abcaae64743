-- The public finder pages through 一般向け sites in the order (municipality code, name, id),
-- from a cursor. This partial index holds exactly those sites in that order, so a page is one
-- range walk that stops after the page's sites (no sort of a whole prefecture per request). It
-- replaces sites_finder, whose order the finder cannot page by.
CREATE INDEX sites_finder_order ON sites(municipality_code, name, id) WHERE general_public = 'general';
DROP INDEX sites_finder;
