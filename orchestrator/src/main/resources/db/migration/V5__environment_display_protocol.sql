-- What an environment's display speaks (vnc, spice, rdp), chosen by the runtime at launch; null = vnc (older rows).
alter table genos_environment add column display_protocol varchar(20);
