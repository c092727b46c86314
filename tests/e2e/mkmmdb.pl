#!/usr/bin/perl
# mkmmdb.pl SPEC.json OUT.mmdb: writes a MaxMind DB with Debian's
# libmaxmind-db-writer-perl from a JSON spec
#   {"type": "GeoLite2-Country", "ip_version": 6,
#    "networks": [["192.0.2.0/24", {"country": {"iso_code": "DE"}}], ...]}
# Networks are inserted in the order given (a later, smaller network
# replaces the part of an earlier one it covers). Values: strings, except
# the keys listed in %uint (numbers) and maps.
use strict;
use warnings;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

my ($spec_path, $out) = @ARGV;
open my $in, '<', $spec_path or die "$spec_path: $!";
my $spec = decode_json(do { local $/; <$in> });
close $in;

my %uint = map { $_ => 1 } qw(autonomous_system_number geoname_id);
my %types;
sub walk {
	my ($h) = @_;
	for my $k (keys %$h) {
		if (ref $h->{$k} eq 'HASH') {
			$types{$k} = 'map';
			walk($h->{$k});
		} elsif ($uint{$k}) {
			$types{$k} = 'uint32';
		} else {
			$types{$k} = 'utf8_string';
		}
	}
}
walk($_->[1]) for @{ $spec->{networks} };

my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => $spec->{ip_version} // 6,
	record_size => 24,
	database_type => $spec->{type},
	languages => ['en'],
	description => { en => 'logonhunt test database' },
	map_key_type_callback => sub { $types{ $_[0] } // 'utf8_string' },
	remove_reserved_networks => 0,
	alias_ipv6_to_ipv4 => ($spec->{ip_version} // 6) == 6 ? 1 : 0,
);
$tree->insert_network($_->[0], $_->[1]) for @{ $spec->{networks} };
open my $fh, '>:raw', $out or die "$out: $!";
$tree->write_tree($fh);
close $fh or die "$out: $!";
