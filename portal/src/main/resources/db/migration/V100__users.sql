-- Local users, in the schema Spring Security's JdbcUserDetailsManager expects.
create table users (
    username varchar(64) not null primary key,
    password varchar(500) not null,
    enabled boolean not null
);

create table authorities (
    username varchar(64) not null,
    authority varchar(64) not null,
    constraint fk_authorities_users foreign key (username) references users (username) on delete cascade
);

create unique index ix_auth_username on authorities (username, authority);
